/**
 * Issue 12, item 1: an unclosed quote costs the line that opened it, never the rest of the file:
 * from a file and from standard input, with exact line numbers. Issue 21, item 1: only a quote that
 * never closes is an unclosed quote; --max-cell-lines is still accepted, and no longer cuts a
 * quoted cell that closes (that read the lines inside the cell as rows).
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

const DEPRECATED = "--max-cell-lines is deprecated and has no effect (docs/csv.md): drop it";

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
          message: "a quote opened on line 2 is not closed by the end of the input",
        },
      });
    });
  }

  it("--max-cell-lines is still accepted with a warning, and a quoted cell that closes is one cell at any value", async () => {
    const dir = tempDir();
    const lines = [
      "id,email,points",
      'u1,"a@example.com',
      "x",
      "u9,forged@example.com,9",
      "z",
      'w",1',
      "u2,b@example.com,2",
    ];
    const input = write(dir, "users.csv", `${lines.join("\n")}\n`);
    const map = write(dir, "m.yaml", "identity:\n  external_id: id\nproperties:\n  note: email\n");
    const report = join(dir, "report.json");
    const dl = join(dir, "dl.ndjson");
    const args = [input, "--map", map, "--dry-run", "--report", report, "--dead-letter", dl];
    for (const max of ["3", "10"]) {
      const result = await runCli([...args, "--max-cell-lines", max]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(`import-profiles: warning: ${DEPRECATED}\n`);
      expect(readJson(report)).toMatchObject({ rows: 2, accepted: 2, deadLettered: 0 });
    }
    // --quiet: a run that exits 0 says nothing, this warning included.
    const quiet = await runCli([...args, "--max-cell-lines", "3", "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    const without = await runCli(args);
    expect(without.stderr).toBe("");
  });

  it("import-events takes --max-cell-lines too, and reads a quoted cell that closes whole", async () => {
    const dir = tempDir();
    const lines = [
      "id,at,note",
      'u1,2024-05-14T06:00:00Z,"a',
      "x",
      "u9,2024-05-14T06:00:00Z,forged",
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
    const result = await runCli([...args, "--max-cell-lines", "3"], {}, undefined, "import-events");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`import-events: warning: ${DEPRECATED}\n`);
    expect(readJson(report)).toMatchObject({ rows: 2, accepted: 2, deadLettered: 0 });
  });

  it("--quiet holds the warning only while the run succeeds: a failed run shows it", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(3, new Set([1])));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const dl = join(dir, "dl.ndjson");
    const argv = [input, "--map", map, "--dry-run", "--dead-letter", dl, "--quiet"];
    const result = await runCli([...argv, "--max-cell-lines", "5"]);
    expect(result.code).toBe(1); // one row dead-lettered
    expect(result.stderr).toContain(`import-profiles: warning: ${DEPRECATED}\n`);
  });
});
