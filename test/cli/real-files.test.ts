/**
 * Files as real systems export them, made here the way those systems write them: a MySQL
 * `INTO OUTFILE` dump (TSV and CSV forms), a PostgreSQL `COPY … TO` file, a headerless CSV, an Excel
 * CSV with rows of commas and a repeated header. Each run goes to the emulator; the tests assert the
 * exact payloads it received and the exact dead letters.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  importFile,
  readJson,
  readNdjson,
  runCli,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

type Cell = string | null;

/**
 * A row as `SELECT … INTO OUTFILE` writes it (ESCAPED BY '\\'): NULL as \N; the escape character,
 * NUL, the first character of the field and line terminators, and (CSV form) the enclosing quote
 * escaped with a backslash. The CSV form (OPTIONALLY ENCLOSED BY '"') quotes text, not numbers.
 */
function outfileRow(cells: readonly Cell[], form: "tsv" | "csv"): string {
  const delimiter = form === "tsv" ? "\t" : ",";
  return cells
    .map((cell) => {
      if (cell === null) return "\\N";
      let text = cell
        .replaceAll("\\", "\\\\")
        .replaceAll("\0", "\\0")
        .replaceAll(delimiter, `\\${delimiter}`)
        .replaceAll("\n", "\\\n");
      if (form === "csv") text = text.replaceAll('"', '\\"');
      return form === "csv" && !/^\d+$/.test(cell) ? `"${text}"` : text;
    })
    .join(delimiter);
}

/** 60 customers: some without e-mail (NULL), memos with line breaks, tabs, quotes, Korean. */
function customers(): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 1; i <= 60; i++) {
    const email = i % 4 === 0 ? null : `user${i}@example.com`;
    const memo =
      i % 5 === 0 ? `첫 줄\n둘째 줄\t탭, "따옴표" \\ 끝 ${i}` : i % 7 === 0 ? null : `메모 ${i}`;
    rows.push([String(i), email, `고객${i}`, memo]);
  }
  return rows;
}

const DUMP_MAPPING = (format: "tsv" | "csv") => `source:
  format: ${format}
  dialect: mysql
  header: false
  columns: [id, email, name, memo]
identity:
  external_id: id
  email: email
properties:
  df_name: name
  memo: memo
`;

function expectedPayloads(rows: Cell[][]) {
  return rows.map(([id, email, name, memo]) => ({
    identity: { external_id: id, ...(email === null ? {} : { email }) },
    user_properties: { df_name: name, ...(memo === null ? {} : { memo }) },
  }));
}

function sent(e: Awaited<ReturnType<typeof emulator>>) {
  return e.store.list().map((r) => ({ identity: r.identity, user_properties: r.user_properties }));
}

const sortById = <T extends { identity: { external_id?: string } }>(list: T[]) =>
  [...list].sort((a, b) => Number(a.identity.external_id) - Number(b.identity.external_id));

describe("database dumps", () => {
  for (const form of ["tsv", "csv"] as const) {
    it(`a MySQL INTO OUTFILE ${form.toUpperCase()} dump: \\N, escapes and escaped line breaks decoded; every row sent as written`, async () => {
      const e = await emulator();
      const dir = tempDir();
      const rows = customers();
      // A hand-written row with every escape LOAD DATA reads (\\n, \\t, \\r, \\0, \\Z, \\', \\").
      const escapes =
        form === "tsv"
          ? "61\tall@example.com\t이스케이프\ta\\nb\\tc\\rd\\0e\\Zf\\'g\\\"h\\\\i"
          : `61,"all@example.com","이스케이프","a\\nb\\tc\\rd\\0e\\Zf\\'g\\"h\\\\i"`;
      const text = `${rows.map((r) => outfileRow(r, form)).join("\n")}\n${escapes}\n`;
      const result = await importFile(dir, e.url, `customers.${form}`, text, DUMP_MAPPING(form));
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(readJson(join(dir, "report.json"))).toMatchObject({
        rows: 61,
        accepted: 61,
        blank: 0,
      });
      expect(sortById(sent(e))).toEqual([
        ...expectedPayloads(rows),
        {
          identity: { external_id: "61", email: "all@example.com" },
          user_properties: { df_name: "이스케이프", memo: "a\nb\tc\rd\0e\x1af'g\"h\\i" },
        },
      ]);
      expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
    });
  }

  it("a PostgreSQL COPY … TO text file: \\N is NULL, escapes decoded, \\. ends the data", async () => {
    const e = await emulator();
    const dir = tempDir();
    const text = [
      "1\tkim@example.com\t김철수\t첫째\\n둘째",
      "2\t\\N\t이영희\t\\N",
      "3\tpark@example.com\t박\\t민수\t\\x41\\102",
      "\\.",
      "",
    ].join("\n");
    const result = await importFile(
      dir,
      e.url,
      "users.tsv",
      text,
      DUMP_MAPPING("tsv").replace("dialect: mysql", "dialect: postgres"),
    );
    expect(result.code).toBe(0);
    expect(sortById(sent(e))).toEqual([
      {
        identity: { external_id: "1", email: "kim@example.com" },
        user_properties: { df_name: "김철수", memo: "첫째\n둘째" },
      },
      { identity: { external_id: "2" }, user_properties: { df_name: "이영희" } },
      {
        identity: { external_id: "3", email: "park@example.com" },
        user_properties: { df_name: "박\t민수", memo: "AB" },
      },
    ]);
  });

  it("a PostgreSQL file with \\. in the middle: the 997 lines after it are dead-lettered and counted, not dropped", async () => {
    const e = await emulator();
    const dir = tempDir();
    const after = Array.from({ length: 997 }, (_, i) => `${i + 4}\tu${i + 4}@example.com\t이름\tx`);
    const text = [
      "1\t\\N\t김\t\\N",
      "2\t\\N\t이\t\\N",
      "3\t\\N\t박\t\\N",
      "\\.",
      ...after,
      "",
    ].join("\n");
    const mapping = DUMP_MAPPING("tsv").replace("dialect: mysql", "dialect: postgres");
    const result = await importFile(dir, e.url, "users.tsv", text, mapping);
    const report = readJson(join(dir, "report.json"));
    expect([result.code, e.store.count(), report.rows, report.deadLettered]).toEqual([
      1, 3, 1_000, 997,
    ]);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => d.line)).toEqual(Array.from({ length: 997 }, (_, i) => i + 5));
    expect(dead[0]).toMatchObject({
      row: "4\tu4@example.com\t이름\tx",
      error: { code: "CSV_PARSE", message: "a line after the end-of-data marker \\. on line 4" },
    });
  });
});

describe("odd files", () => {
  it("a headerless CSV with source.columns; a short row is dead-lettered with its line", async () => {
    const e = await emulator();
    const dir = tempDir();
    const result = await importFile(
      dir,
      e.url,
      "users.csv",
      "u1,a@example.com,10\nu2,b@example.com\nu3,c@example.com,30\n",
      `source:\n  header: false\n  columns: [id, email, points]\nidentity:\n  external_id: id\nproperties:\n  points: { column: points, type: Long }\n`,
    );
    expect(result.code).toBe(1);
    expect(sortById(sent(e))).toEqual([
      { identity: { external_id: "u1" }, user_properties: { points: 10 } },
      { identity: { external_id: "u3" }, user_properties: { points: 30 } },
    ]);
    const [dead] = readNdjson(join(dir, "dl.ndjson"));
    expect(dead).toMatchObject({
      line: 2,
      row: "u2,b@example.com",
      error: { stage: "input", code: "CSV_COLUMN_COUNT", message: "expected 3 cells, found 2" },
    });
  });

  it("a file read without source.header: false says how to read a headerless file", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", "u1,a@example.com,10\n");
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: id\nproperties:\n  points: points\n",
    );
    const result = await runCli([
      input,
      "--map",
      map,
      "--dry-run",
      "--dead-letter",
      join(dir, "dl"),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "if this file has no header row, set source.header: false and name its columns in source.columns",
    );
  });

  it("a Korean Excel CSV: rows of commas are blank (not rows, exit 0), a repeated unmapped header is fine, markers are empty", async () => {
    const e = await emulator();
    const dir = tempDir();
    const text = [
      "\ufeff회원번호,이메일,이름,등급,비고,비고",
      "1001,hong@example.com,홍길동,골드,,",
      "1002,-,김영희,없음,메모,",
      "1003,N/A,이철수,실버,,메모2",
      ",,,,,",
      ",,,,,",
      " , ,-, ,,",
      "",
    ].join("\r\n");
    const result = await importFile(
      dir,
      e.url,
      "members.csv",
      text,
      `source:\n  empty_values: ["-", "N/A", "없음"]\nidentity:\n  external_id: 회원번호\n  email: 이메일\nproperties:\n  df_name: 이름\n  grade: { column: 등급, empty: null }\n`,
    );
    expect(result.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      blank: 3,
      accepted: 3,
      deadLettered: 0,
      notAttempted: 0,
    });
    expect(result.stdout).toMatch(/^3 rows \(and 3 blank, skipped\) in /);
    expect(sortById(sent(e))).toEqual([
      {
        identity: { external_id: "1001", email: "hong@example.com" },
        user_properties: { df_name: "홍길동", grade: "골드" },
      },
      { identity: { external_id: "1002" }, user_properties: { df_name: "김영희", grade: null } },
      { identity: { external_id: "1003" }, user_properties: { df_name: "이철수", grade: "실버" } },
    ]);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });

  it("a repeated header name that the mapping reads stops the run before any request", async () => {
    const e = await emulator();
    const dir = tempDir();
    const result = await importFile(
      dir,
      e.url,
      "members.csv",
      "id,비고,비고\n1,a,b\n",
      "identity:\n  external_id: id\nproperties:\n  memo: 비고\n",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'the header names "비고" more than once, and the mapping reads it',
    );
    expect(e.store.stats().requests).toBe(0);
  });
});
