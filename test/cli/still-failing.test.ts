import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

describe("still failing: alert on news, not on the same old rows", () => {
  it("counts a row that fails again the same way as still failing, exits 0 for it alone, and 1 for a new failure", async () => {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const night = async (csv: string, extra: string[] = []) => {
      const input = write(dir, "users.csv", csv);
      const result = await runCli([
        input,
        "--map",
        map,
        ...runFlags(dir, e.url, { rate: "1000/s", state: true }),
        ...extra,
      ]);
      return { result, report: readJson(join(dir, "report.json")) };
    };

    const first = await night(usersCsv(10, new Set([3])));
    expect(first.result.code).toBe(1);
    expect(first.report).toMatchObject({ accepted: 9, deadLettered: 1, stillFailing: 0 });

    // The same export the next night: the same row fails the same way. Known: exit 0.
    const second = await night(usersCsv(10, new Set([3])));
    expect(second.result.code).toBe(0);
    expect(second.report).toMatchObject({ unchanged: 9, deadLettered: 1, stillFailing: 1 });
    expect(second.result.stdout).toContain("1 of the dead-lettered rows are still failing");
    // Still written to the dead-letter file.
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual([5]);

    // --strict: every failure exits 1.
    expect((await night(usersCsv(10, new Set([3])), ["--strict"])).result.code).toBe(1);

    // A new failure (row 6 broken too) is news: exit 1; the old one is still counted as known.
    const third = await night(usersCsv(10, new Set([3, 6])));
    expect(third.result.code).toBe(1);
    expect(third.report).toMatchObject({ deadLettered: 2, stillFailing: 1 });

    // A row whose content changed is not the same row: once fixed and broken anew, it is news.
    const lines = usersCsv(10, new Set([3, 6])).replace(
      "u3,user3@example.com,lots",
      "u3,user3@example.com,many",
    );
    const fourth = await night(lines);
    expect(fourth.result.code).toBe(1);
    expect(fourth.report).toMatchObject({ deadLettered: 2, stillFailing: 1 });
  });

  it("without --state, every failure is news", async () => {
    const e = await emulator();
    const dir = tempDir();
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const input = write(dir, "users.csv", usersCsv(5, new Set([1])));
    for (let i = 0; i < 2; i++) {
      const result = await runCli([
        input,
        "--map",
        map,
        ...runFlags(dir, e.url, { rate: "1000/s" }),
      ]);
      expect(result.code).toBe(1);
      expect(readJson(join(dir, "report.json")).stillFailing).toBe(0);
    }
  });
});
