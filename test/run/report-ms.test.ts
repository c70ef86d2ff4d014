import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMapping } from "../../src/mapping/load.js";
import { PROFILES } from "../../src/run/kinds/index.js";
import { Run } from "../../src/run/run.js";
import { formatSummary } from "../../src/sinks/report.js";

describe("milliseconds in the report and the summary", () => {
  it("are whole, whatever clock the run was given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ms-"));
    const input = join(dir, "users.csv");
    writeFileSync(input, "id\nu1\nu2\n");
    const mapping = parseMapping(
      "identity:\n  external_id: id\nproperties:\n  id_copy: { column: id, type: String }\n",
      "m.yaml",
    );
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
});
