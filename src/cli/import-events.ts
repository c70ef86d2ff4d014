#!/usr/bin/env node
import { main } from "./main.js";

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
  exit: (c: number) => process.exit(c),
};
const code = await main(process.argv.slice(2), io, "import-events");
process.exitCode = code;
// The run is over: a Ctrl-C that comes while the process winds down ends it with the run's code.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(code));
