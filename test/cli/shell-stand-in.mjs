// Stands for an interactive shell in a terminal (test/cli/hung-up-terminal.test.ts): runs the
// command given after the file to write, on the terminal; when the terminal hangs up, passes the
// SIGHUP on to it as a shell passes it to its jobs; writes how it exited ({ code, signal }) to the
// file. The built hung-up-terminal.js keeps this process's own exit from aborting (its terminal is gone).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { releaseHungUpTerminals } from "../../dist/src/cli/hung-up-terminal.js";

releaseHungUpTerminals(process);
const [out, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: "inherit" });
process.on("SIGHUP", () => child.kill("SIGHUP"));
child.on("exit", (code, signal) => writeFileSync(out, JSON.stringify({ code, signal })));
