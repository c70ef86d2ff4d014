/**
 * SIGHUP as a closed terminal sends it: the terminal's output gone with it. A run in a terminal
 * that hangs up (a pseudo-terminal from util-linux `script`, closed under the run) exits 130, not
 * by an abort; a run whose stdout and stderr were closed first exits 130 too (the signal stopped
 * it, not the closed stdout), its report and state written. Under `nohup` too: Node does not keep
 * a SIGHUP its parent ignored.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import {
  BUILT_CLI,
  childEnv,
  emulatorPerTest,
  readJson,
  runFlags,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  waitFor,
  write,
} from "./helpers.js";
import { history } from "./state-runs.js";

const startEmulator = emulatorPerTest();
const SHELL_STAND_IN = join(import.meta.dirname, "shell-stand-in.mjs");
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

/** A run of 2,000 users at 100/s with --state (20 s: the hangup comes long before its end). */
async function setup() {
  const e = await startEmulator({ latencyMs: 20 });
  const dir = tempDir();
  const input = write(dir, "users.csv", usersCsv(2_000));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const argv = [input, "--map", map, ...runFlags(dir, e.url, { rate: "100/s", state: true })];
  return { e, dir, argv };
}

/** The run stopped as on SIGTERM: its report balanced, every accepted update recorded. */
function expectStopped(dir: string, accepted: number) {
  const report = readJson(join(dir, "report.json"));
  expect(report.stoppedBy.reason).toBe("interrupt");
  expect(report.accepted).toBe(accepted);
  expect(report.notAttempted).toBeGreaterThan(0);
  expect(report.rows).toBe(report.accepted + report.deadLettered + report.notAttempted);
  expect(history(dir)[0]).toMatchObject({ status: "stopped", exitCode: 130, accepted });
}

/** Spawns `command` (the importer, or what runs it) in `dir` with the test token; stdout and stderr piped. */
const spawnIn = (dir: string, command: string, args: readonly string[]) =>
  spawn(command, args, {
    cwd: dir,
    env: childEnv({ DFINERY_ACCESS_TOKEN: TOKEN }),
    stdio: ["ignore", "pipe", "pipe"],
  });

/**
 * Sends SIGHUP to `child` once the emulator accepted 20 updates (`before` done first); how it
 * exited. Killed outright if the test fails first.
 */
async function hangUp(child: ChildProcess, e: Emulator, before = () => {}) {
  const exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    await waitFor(() => e.store.count() >= 20, "20 updates accepted");
    before();
    child.kill("SIGHUP");
    return await exited;
  } finally {
    child.kill("SIGKILL");
  }
}

const quoted = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

describe("SIGHUP with the terminal gone", () => {
  it.runIf(HAS_SCRIPT)(
    "a terminal closed under the run: exit 130, not an abort, the report and the state written",
    async () => {
      const { e, dir, argv } = await setup();
      const exit = join(dir, "exit.json");
      // No --log: the log is written to the terminal too, and the progress bar (stderr is a terminal).
      const noLog = argv.slice(0, argv.indexOf("--log"));
      const command = [
        process.execPath,
        SHELL_STAND_IN,
        exit,
        process.execPath,
        BUILT_CLI,
        ...noLog,
      ];
      const terminal = spawn("script", ["-qfc", command.map(quoted).join(" "), "/dev/null"], {
        cwd: dir,
        env: childEnv({ DFINERY_ACCESS_TOKEN: TOKEN, SHELL: "/bin/sh" }),
        stdio: ["pipe", "pipe", "ignore"],
      });
      let shown = "";
      terminal.stdout.on("data", (c: Buffer) => {
        shown += c.toString("utf8");
      });
      try {
        await waitFor(() => e.store.count() >= 20, "20 updates accepted");
        expect(shown).toMatch(/rows read \|/); // the progress bar, on the terminal
      } finally {
        // The terminal closes: the kernel hangs it up, the shell passes SIGHUP on to the run.
        terminal.kill("SIGKILL");
      }
      await waitFor(() => existsSync(exit), "the run's exit");
      expect(readJson(exit)).toEqual({ code: 130, signal: null });
      expectStopped(dir, e.store.count());
    },
  );

  it("stdout and stderr closed before the signal: exit 130 (not 141), the report and the state written", async () => {
    const { e, dir, argv } = await setup();
    const noLog = argv.slice(0, argv.indexOf("--log")); // the log to the closed stderr
    const child = spawnIn(dir, process.execPath, [BUILT_CLI, ...noLog]);
    const exit = await hangUp(child, e, () => {
      // Every write from now on fails (EPIPE): the stop's message, the log, the summary.
      child.stdout.destroy();
      child.stderr.destroy();
    });
    expect(exit).toEqual({ code: 130, signal: null });
    expectStopped(dir, e.store.count());
  });

  it("under nohup too: Node does not keep a SIGHUP its parent ignored, so the run stops as on SIGTERM", async () => {
    const { e, dir, argv } = await setup();
    // nohup runs the command in its own place (exec): the child is the importer.
    const child = spawnIn(dir, "nohup", [process.execPath, BUILT_CLI, ...argv]);
    expect(await hangUp(child, e)).toEqual({ code: 130, signal: null });
    expectStopped(dir, e.store.count());
  });
});
