#!/usr/bin/env node
/** The `dfinery-emulator` command: the only place that handles signals and exits the process. */

import { main } from "../emulator/main.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort());
}
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exit(code);
