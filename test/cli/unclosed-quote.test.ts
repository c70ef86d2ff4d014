/**
 * Issue 12, item 1: an unclosed quote costs the line that opened it, never the rest of the file:
 * from a file and from standard input, with exact line numbers; --max-cell-lines bounds how long a
 * quoted cell may stay open.
 */
import { join } from "node:path";
import { Readable } from "node:stream";
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

/** 2,000 users; line 2 (u0's) opens a quote it never closes. */
function brokenCsv(): string {
  return usersCsv(2_000).replace("u0,user0@example.com,0\n", 'u0,"abc,1\n');
}

describe("an unclosed quote", () => {
  for (const from of ["a file", "standard input"] as const) {
    it(`from ${from}: only its line is dead-lettered; the other 1,999 rows are sent`, async () => {
      const e = await emulator();
      const dir = tempDir();
      const map = write(dir, "m.yaml", USERS_MAPPING);
      const flags = ["--map", map, ...runFlags(dir, e.url, { rate: "5000/s" })];
      const result =
        from === "a file"
          ? await runCli([write(dir, "users.csv", brokenCsv()), ...flags])
          : await runCli(
              ["-", "--format", "csv", ...flags],
              undefined,
              Readable.from([Buffer.from(brokenCsv())]),
            );
      expect(result.code).toBe(1);
      expect(readJson(join(dir, "report.json"))).toMatchObject({
        rows: 2_000,
        accepted: 1_999,
        deadLettered: 1,
        notAttempted: 0,
      });
      expect(e.store.count()).toBe(1_999);
      expect(e.store.last("external_id", "u1999")).toEqual({ points: 1999 });
      const dead = readNdjson(join(dir, "dl.ndjson"));
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        line: 2,
        row: 'u0,"abc,1',
        error: {
          stage: "input",
          code: "CSV_PARSE",
          message: "a quote opened on line 2 stays open for more than 100 lines (--max-cell-lines)",
        },
      });
    });
  }

  it("--max-cell-lines: a quoted cell open for longer is cut back to its first line", async () => {
    const dir = tempDir();
    const lines = [
      "id,email,points",
      'u1,"a@example.com',
      "x",
      "y",
      "z",
      'w",1',
      "u2,b@example.com,2",
    ];
    const input = write(dir, "users.csv", `${lines.join("\n")}\n`);
    const map = write(dir, "m.yaml", "identity:\n  external_id: id\nproperties:\n  note: email\n");
    const report = join(dir, "report.json");
    const dl = join(dir, "dl.ndjson");
    const args = [input, "--map", map, "--dry-run", "--report", report, "--dead-letter", dl];
    const result = await runCli([...args, "--max-cell-lines", "3"]);
    expect(result.code).toBe(1);
    expect(readNdjson(dl).map((r) => [r.line, r.error.code, r.row])).toEqual([
      [2, "CSV_PARSE", 'u1,"a@example.com'],
      [3, "CSV_COLUMN_COUNT", "x"],
      [4, "CSV_COLUMN_COUNT", "y"],
      [5, "CSV_COLUMN_COUNT", "z"],
      [6, "CSV_PARSE", 'w",1'],
    ]);
    expect(readJson(report)).toMatchObject({ rows: 6, accepted: 1, deadLettered: 5 });
    // Within the bound, the same cell is read whole.
    const whole = await runCli([...args, "--max-cell-lines", "10"]);
    expect(whole.code).toBe(0);
    expect(readJson(report)).toMatchObject({ rows: 2, accepted: 2, deadLettered: 0 });
  });

  it("import-events takes --max-cell-lines too", async () => {
    const dir = tempDir();
    const lines = [
      "id,at,note",
      'u1,2024-05-14T06:00:00Z,"a',
      "x",
      "y",
      "z",
      'w"',
      "u2,2024-05-14T06:01:00Z,b",
    ];
    const input = write(dir, "events.csv", `${lines.join("\n")}\n`);
    const map = write(
      dir,
      "e.yaml",
      "identity: { external_id: id }\nevent: { name: { value: df_sign_up }, datetime: at }\nproperties: {}\n",
    );
    const report = join(dir, "report.json");
    const dl = join(dir, "dl.ndjson");
    const args = [input, "--map", map, "--dry-run", "--report", report, "--dead-letter", dl];
    const cut = await runCli([...args, "--max-cell-lines", "3"], {}, undefined, "import-events");
    expect(cut.code).toBe(1);
    expect(readNdjson(dl)[0]).toMatchObject({ line: 2, error: { code: "CSV_PARSE" } });
    expect(readJson(report)).toMatchObject({ rows: 6, accepted: 1, deadLettered: 5 });
    const whole = await runCli([...args, "--max-cell-lines", "10"], {}, undefined, "import-events");
    expect(whole.code).toBe(0);
    expect(readJson(report)).toMatchObject({ rows: 2, accepted: 2, deadLettered: 0 });
  });
});
