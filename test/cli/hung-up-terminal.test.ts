/**
 * SIGHUP as a closed terminal sends it: the terminal's output gone with it. A run in a terminal
 * that hangs up (a pseudo-terminal from util-linux `script`, closed under the run) exits 130, not
 * by an abort; a run whose stdout and stderr were closed first exits 130 too (the signal stopped
 * it, not the closed stdout), its report and state written. Under `nohup` too: Node does not keep
 * a SIGHUP its parent ignored. And when the terminal's second SIGHUP comes at the process's very
 * end (late, on a loaded machine): sent by gdb at libc's exit(), after the teardown in which Node
 * used to put the signal's default action back (src/cli/bin.ts), it still changes nothing.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
/** gdb, and allowed to trace what it starts. */
const HAS_GDB =
  spawnSync("gdb", ["-batch", "-nx", "-ex", "run", "--args", "true"], {
    encoding: "utf8",
  }).stdout?.includes("exited normally") ?? false;

/**
 * Runs the importer; at its very end (libc's exit(): every listener closed by Node's teardown when
 * the process ends by itself) sends it one SIGHUP, then prints whether it did, and how the importer
 * ended: its exit code, or the signal that killed it ("void" for the other).
 */
const HANGUP_AT_EXIT = `set startup-with-shell off
set pagination off
set confirm off
set breakpoint pending on
handle SIGHUP nostop noprint pass
set $sent = 0
break exit
commands
silent
if $sent == 0
set $sent = 1
signal SIGHUP
else
continue
end
end
run
print $sent
print $_exitcode
print $_exitsignal
`;

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
 * Sends SIGHUP to `child` (or to the importer it runs, `importer`) once the emulator accepted 20
 * updates (`before` done first); how `child` exited. Killed outright if the test fails first.
 */
async function hangUp(
  child: ChildProcess,
  e: Emulator,
  { before = () => {}, importer }: { before?: () => void; importer?: () => Promise<number> } = {},
) {
  const exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    const pid = await importer?.();
    await waitFor(() => e.store.count() >= 20, "20 updates accepted");
    before();
    if (pid === undefined) child.kill("SIGHUP");
    else process.kill(pid, "SIGHUP");
    return await exited;
  } finally {
    child.kill("SIGKILL");
  }
}

/** The process `parent` started to run `script` in Node (gdb forks others first), once it has. */
async function childRunning(parent: ChildProcess, script: string): Promise<number> {
  const runs = (pid: string) => {
    try {
      const [command, ...args] = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return command === process.execPath && args.includes(script); // not a copy of gdb (same args)
    } catch {
      return false; // gone already
    }
  };
  let found: string | undefined;
  await waitFor(() => {
    const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, "utf8");
    found = children.split(" ").find(runs);
    return found !== undefined;
  }, `a child of ${parent.spawnfile} running ${script}`);
  return Number(found);
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
    const exit = await hangUp(child, e, {
      before: () => {
        // Every write from now on fails (EPIPE): the stop's message, the log, the summary.
        child.stdout.destroy();
        child.stderr.destroy();
      },
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

  it.runIf(HAS_GDB)(
    "the terminal's second SIGHUP at the process's very end: exit 130, not a death by the signal",
    async () => {
      const { e, dir, argv } = await setup();
      const script = write(dir, "hangup-at-exit.gdb", HANGUP_AT_EXIT);
      const gdb = spawnIn(dir, "gdb", [
        "-batch",
        "-nx",
        "-x",
        script,
        "--args",
        process.execPath,
        BUILT_CLI,
        ...argv,
      ]);
      let shown = ""; // the importer's output, and gdb's
      for (const stream of [gdb.stdout, gdb.stderr])
        stream.on("data", (c: Buffer) => {
          shown += c.toString("utf8");
        });
      const gdbExit = await hangUp(gdb, e, { importer: () => childRunning(gdb, BUILT_CLI) });
      const [sent, code, signal] = [1, 2, 3].map((n) => shown.match(`\\$${n} = (\\w+)`)?.[1]);
      expect({ sent, code, signal }, shown).toEqual({ sent: "1", code: "130", signal: "void" });
      expect(gdbExit, shown).toEqual({ code: 0, signal: null });
      expectStopped(dir, e.store.count());
    },
  );
});
