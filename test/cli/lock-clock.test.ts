import { execFileSync } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
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
const importer = importersPerTest();

const HOUR = 3600_000;
/** A preload that runs a process's wall clock 2 h ahead (Date.now, new Date). */
const CLOCK_AHEAD = pathToFileURL(join(import.meta.dirname, "clock-ahead.mjs")).href;
const ROWS = 600;
const FIRST = 100;

describe("the state file lock across a clock step", () => {
  it(
    "refuses a second run whose clock is 2 h ahead while the first runs: every row is sent once",
    async () => {
      const e = await emulator();
      const dir = tempDir();
      const map = write(dir, "m.yaml", USERS_MAPPING);
      const csv = usersCsv(ROWS);
      const lines = csv.split("\n");
      // The first run reads a named pipe the test writes: it is held mid-run until the test writes on.
      const fifo = join(dir, "users.csv");
      execFileSync("mkfifo", [fifo]);
      const first = importer(
        [fifo, "--map", map, ...runFlags(dir, e.url, { rate: "100000/s", state: true })],
        dir,
      );
      const pipe = createWriteStream(fifo); // opens once the importer opens its input
      pipe.write(`${lines.slice(0, FIRST + 1).join("\n")}\n`);
      await waitFor(() => e.store.count() === FIRST, `the first ${FIRST} rows at the emulator`);

      // The same rows from a plain file, the same state file, outputs of its own, a clock 2 h ahead.
      const input = write(dir, "users-copy.csv", csv);
      const flags = runFlags(dir, e.url, { rate: "100000/s", state: true, name: "second" });
      const secondLog = join(dir, "second.log.ndjson");
      flags[flags.indexOf(join(dir, "log.ndjson"))] = secondLog;
      const clockOut = join(dir, "second.clock");
      const before = Date.now();
      const second = importer([input, "--map", map, ...flags], dir, {
        NODE_OPTIONS: `--import ${CLOCK_AHEAD}`,
        CLOCK_AHEAD_OUT: clockOut,
      });
      const refused = await second.exited;
      const after = Date.now();
      expect(refused.code).toBe(2);
      expect(second.stderr()).toMatch(
        new RegExp(`another import is running with this state file .*: pid ${first.pid} on host `),
      );
      // Its clock was ahead: the time it read as it exited is 2 h after the test's clock.
      const stamp = Number(readFileSync(clockOut, "utf8"));
      expect(stamp).toBeGreaterThanOrEqual(before + 2 * HOUR);
      expect(stamp).toBeLessThanOrEqual(after + 2 * HOUR);
      expect(readFileSync(secondLog, "utf8")).toBe(""); // refused before it logged a thing
      expect(e.store.stats().requests).toBe(FIRST); // the second run sent nothing

      pipe.end(lines.slice(FIRST + 1).join("\n"));
      const done = await first.exited;
      expect(done.code).toBe(0);
      // Each row reached the emulator once: u0 … u599, each once (requests overlap: any order).
      const ids = e.store.list().map((r) => r.identity.external_id);
      expect(ids.sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `u${i}`).sort());
      expect(e.store.stats().requests).toBe(ROWS);
      expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: ROWS, accepted: ROWS });
    },
    3 * HANG_MS,
  );
});
