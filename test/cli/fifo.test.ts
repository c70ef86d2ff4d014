import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  type Child,
  emulatorPerTest,
  HANG_MS,
  importersPerTest,
  readJson,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  waitFor,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();
const importer = importersPerTest(); // a failed test leaves no importer behind

/** A folder with a mapping and a named pipe `users.csv` that no one writes to yet. */
function setup() {
  const dir = tempDir();
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const fifo = join(dir, "users.csv");
  execFileSync("mkfifo", [fifo]);
  return { dir, map, fifo };
}

/**
 * The child's exit, or a failure (after killing it) if it has not ended within `ms`: a guard
 * against a hang, not a timing assertion, so generous enough for a loaded machine (a node start
 * alone can take seconds there).
 */
async function endsWithin(child: Child, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the importer did not end within ${ms} ms; stderr: ${child.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const STARTED = 'the log\'s "import started"';
/** The log says "import started" once the run holds SIGINT and SIGTERM (a signal stops it gracefully). */
const started = (dir: string) => () => {
  try {
    return readFileSync(join(dir, "log.ndjson"), "utf8").includes("import started");
  } catch {
    return false;
  }
};

describe("a named pipe as the input", () => {
  it(
    "with --state is read once: a writer that starts late delivers every row and is not cut off",
    async () => {
      const e = await emulator();
      const { dir, map, fifo } = setup();
      const source = write(dir, "source.csv", usersCsv(3_000));
      const flags = runFlags(dir, e.url, { rate: "100000/s", state: true });
      const child = importer([fifo, "--map", map, ...flags], dir);
      await waitFor(started(dir), STARTED); // the importer is waiting for a writer
      const writer = spawn("sh", ["-c", 'cat "$0" > "$1"', source, fifo], { stdio: "ignore" });
      onTestFinished(() => {
        writer.kill("SIGKILL");
      });
      const wrote = new Promise<number | null>((r) => writer.on("exit", (code) => r(code)));
      const { code } = await endsWithin(child, HANG_MS);
      expect(await wrote).toBe(0); // no SIGPIPE: the writer was read to its end
      expect(code).toBe(0);
      expect(e.store.count()).toBe(3_000);
      expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 3_000, accepted: 3_000 });
    },
    3 * HANG_MS,
  );

  it(
    "a second Ctrl-C ends a run waiting for a writer that never comes",
    async () => {
      const e = await emulator();
      const { dir, map, fifo } = setup();
      const flags = runFlags(dir, e.url, { rate: "1000/s" });
      const child = importer([fifo, "--map", map, ...flags], dir);
      await waitFor(started(dir), STARTED);
      child.kill("SIGINT");
      child.kill("SIGINT");
      const { code } = await endsWithin(child, HANG_MS);
      expect(code).toBe(130);
    },
    3 * HANG_MS,
  );

  it(
    "with --state, SIGTERM ends the wait for a writer; --resume from a pipe is refused unread",
    async () => {
      const e = await emulator();
      const { dir, map, fifo } = setup();
      const flags = runFlags(dir, e.url, { rate: "1000/s", state: true });
      const argv = [fifo, "--map", map, ...flags];
      const child = importer(argv, dir);
      await waitFor(started(dir), STARTED);
      child.kill("SIGTERM");
      const { code } = await endsWithin(child, HANG_MS);
      expect(code).toBe(130);
      expect(readJson(join(dir, "report.json"))).toMatchObject({
        rows: 0,
        stoppedBy: { reason: "interrupt" },
      });
      const resume = importer([...argv, "--resume"], dir);
      const resumed = await endsWithin(resume, HANG_MS);
      expect(resumed.code).toBe(2);
      expect(resume.stderr()).toMatch(/cannot resume from standard input or a pipe/);
    },
    3 * HANG_MS,
  );
});
