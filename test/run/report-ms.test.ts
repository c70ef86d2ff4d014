import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMapping } from "../../src/mapping/load.js";
import { PROFILES } from "../../src/run/kinds/index.js";
import { Run } from "../../src/run/run.js";
import { formatSummary } from "../../src/sinks/report.js";

/** A CSV of two users and a mapping of it, in a folder of their own. */
function twoUsers() {
  const dir = mkdtempSync(join(tmpdir(), "ms-"));
  const input = join(dir, "users.csv");
  writeFileSync(input, "id\nu1\nu2\n");
  const mapping = parseMapping(
    "identity:\n  external_id: id\nproperties:\n  id_copy: { column: id, type: String }\n",
    "m.yaml",
  );
  return { dir, input, mapping };
}

describe("milliseconds in the report and the summary", () => {
  it("are whole, whatever clock the run was given", async () => {
    const { dir, input, mapping } = twoUsers();
    let t = 1_700_000_000_000.123;
    const run = new Run(
      PROFILES,
      { input, format: "csv", mapping, deadLetterPath: join(dir, "dl.ndjson") },
      { now: () => (t += 0.4567) }, // a performance.now()-like clock
    );
    const report = await run.execute();
    expect(Number.isInteger(report.durationMs)).toBe(true);
    expect(Number.isInteger(report.rateLimitWaitMs)).toBe(true);
    expect(formatSummary(report)).toMatch(/in \d+ ms:/);
  });

  it("has a duration never negative when the wall clock steps back under the run", async () => {
    const { dir, input, mapping } = twoUsers();
    const t0 = Date.parse("2026-03-01T02:00:00Z");
    let calls = 0;
    let ticks = 0;
    const run = new Run(
      PROFILES,
      { input, format: "csv", mapping, deadLetterPath: join(dir, "dl.ndjson") },
      {
        now: () => (calls++ === 0 ? t0 : t0 - 3_600_000), // set back an hour after the start
        elapsed: () => (ticks += 5),
      },
    );
    const report = await run.execute();
    expect(report.finishedAt < report.startedAt).toBe(true); // the wall clock, as it said
    expect(report.durationMs).toBeGreaterThan(0);
    expect(report.durationMs).toBe(ticks - 5);
  });
});
