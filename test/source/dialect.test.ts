import { describe, expect, test } from "vitest";
import { readCsv } from "../../src/source/csv.js";
import type { Dialect } from "../../src/source/dialect.js";
import type { SourceItem } from "../../src/source/types.js";
import { chunks, collectItems, split } from "./helpers.js";

function read(
  text: string,
  dialect: Dialect,
  format: "csv" | "tsv",
  size = text.length,
  extra: {
    header?: boolean;
    columns?: string[];
    maxRecordSize?: number;
  } = {},
): Promise<SourceItem[]> {
  const delimiter = format === "tsv" ? "\t" : ",";
  return collectItems(
    readCsv(chunks(...split(text, Math.max(1, size))), "dump.txt", {
      format,
      delimiter,
      dialect,
      ...extra,
    }),
  );
}

const rows = (items: SourceItem[]) =>
  items.flatMap((i) => (i.kind === "row" ? [{ line: i.line, cells: i.cells }] : []));

describe("dialect: mysql, TSV (INTO OUTFILE's default form)", () => {
  const text = [
    "id\tname\tnote",
    "1\tAnn\t\\N",
    "2\tBo\\\tB\tline one\\\nline two", // an escaped tab and an escaped real line break
    '3\t"quoted"\t\\\\ \\" \\\' \\n \\r \\t \\0 \\Z end', // every LOAD DATA escape
    "4\t홍길동\t메모\\\\끝",
    "",
  ].join("\n");

  test("decodes every escape, \\N is an empty cell, and lines stay exact", async () => {
    const items = await read(text, "mysql", "tsv");
    expect(items[0]).toEqual({ kind: "header", columns: ["id", "name", "note"] });
    expect(rows(items)).toEqual([
      { line: 2, cells: { id: "1", name: "Ann", note: "" } },
      { line: 3, cells: { id: "2", name: "Bo\tB", note: "line one\nline two" } },
      { line: 5, cells: { id: "3", name: '"quoted"', note: "\\ \" ' \n \r \t \0 \x1a end" } },
      { line: 6, cells: { id: "4", name: "홍길동", note: "메모\\끝" } },
    ]);
  });

  test("gives the same items whatever the chunk size", async () => {
    const whole = await read(text, "mysql", "tsv");
    for (const size of [1, 2, 3, 5]) expect(await read(text, "mysql", "tsv", size)).toEqual(whole);
  });

  test("a record with the wrong cell count is invalid, with its raw text", async () => {
    const items = await read("a\tb\n1\t2\t3\n4\t5\n", "mysql", "tsv");
    expect(items[1]).toMatchObject({ kind: "invalid", line: 2, raw: "1\t2\t3" });
    expect(rows(items)).toEqual([{ line: 3, cells: { a: "4", b: "5" } }]);
  });

  test("reads CRLF line ends as line ends, and a backslash before CRLF as a CRLF in the cell", async () => {
    const items = await read("a\tb\r\n1\tx\\\r\ny\r\n2\tz\r\n", "mysql", "tsv");
    expect(rows(items)).toEqual([
      { line: 2, cells: { a: "1", b: "x\r\ny" } },
      { line: 4, cells: { a: "2", b: "z" } },
    ]);
  });
});

describe("dialect: mysql, CSV (OPTIONALLY ENCLOSED BY '\"')", () => {
  const text = [
    "id,name,note",
    '1,"Ann, Lee",\\N',
    '2,"say \\"hi\\" and ""bye""","a\\,b"',
    '3,"two\\',
    'lines",plain',
    '4,"a "quote" inside",x',
    "",
  ].join("\n");

  test('quotes are optional; \\" and "" are a quote; a quote not before a delimiter is text', async () => {
    for (const size of [text.length, 1, 4]) {
      const items = await read(text, "mysql", "csv", size);
      expect(rows(items)).toEqual([
        { line: 2, cells: { id: "1", name: "Ann, Lee", note: "" } },
        { line: 3, cells: { id: "2", name: 'say "hi" and "bye"', note: "a,b" } },
        { line: 4, cells: { id: "3", name: "two\nlines", note: "plain" } },
        { line: 6, cells: { id: "4", name: 'a "quote" inside', note: "x" } },
      ]);
    }
  });

  test("a quote never closed costs only the line that opened it; the lines after it are read", async () => {
    for (const size of [100, 1, 3]) {
      const items = await read('a,b\r\n1,x\r\n2,"open\r\n3,y\r\n', "mysql", "csv", size);
      expect(rows(items)).toEqual([
        { line: 2, cells: { a: "1", b: "x" } },
        { line: 4, cells: { a: "3", b: "y" } },
      ]);
      expect(items[2]).toMatchObject({
        kind: "invalid",
        line: 3,
        raw: '2,"open',
        failure: {
          code: "CSV_PARSE",
          message: "a quote opened on line 3 is not closed by the end of the input",
        },
      });
    }
  });

  test("a quoted cell open to the end, or past the size bound, is cut back to its line", async () => {
    const text = `a,b\n1,"open\n${"2,y\n".repeat(40)}`;
    const byEnd = await read(text, "mysql", "csv", 16);
    const bySize = await read(text, "mysql", "csv", 16, { maxRecordSize: 100 });
    for (const items of [byEnd, bySize]) {
      expect(items.filter((i) => i.kind === "invalid")).toMatchObject([
        { line: 2, raw: '1,"open', failure: { code: "CSV_PARSE" } },
      ]);
      expect(rows(items).map((r) => r.line)).toEqual(Array.from({ length: 40 }, (_, i) => i + 3));
    }
  });

  test("a record past the size bound on one line is dead-lettered; the rows after it are read", async () => {
    const text = `a,b\n1,${"x".repeat(200)}\n2,y\n`;
    const items = await read(text, "mysql", "csv", 16, { maxRecordSize: 100 });
    expect(items.filter((i) => i.kind === "invalid")).toMatchObject([
      { line: 2, raw: `1,${"x".repeat(98)}`, failure: { code: "CSV_PARSE" } },
    ]);
    expect(rows(items).map((r) => r.line)).toEqual([3]);
  });
});

describe("dialect: postgres (COPY … TO, text format)", () => {
  test("decodes \\b \\f \\n \\r \\t \\v, octal and hex escapes; \\N alone is NULL; \\. ends the data", async () => {
    const text = [
      "1\t\\N\tA\\tB\\nC",
      "2\t\\101\\x42\\\\\tx\\by\\fz\\v\\r",
      "3\tN\\N\t\\x",
      "\\.",
      "4\tafter\tthe end",
      "",
    ].join("\n");
    const columns = ["id", "name", "note"];
    for (const size of [text.length, 1, 2]) {
      const items = await read(text, "postgres", "tsv", size, { header: false, columns });
      expect(rows(items)).toEqual([
        { line: 1, cells: { id: "1", name: "", note: "A\tB\nC" } },
        { line: 2, cells: { id: "2", name: "AB\\", note: "x\by\fz\v\r" } },
        { line: 3, cells: { id: "3", name: "NN", note: "x" } },
      ]);
    }
  });

  test("octal and hex escapes are bytes of UTF-8 text: \\303\\251 is é, in any chunking", async () => {
    const text = "1\tcaf\\303\\251\t\\xEC\\x84\\x9C\\xEC\\x9A\\xB8 \\101\n";
    for (const size of [text.length, 1, 2, 3, 5]) {
      const items = await read(text, "postgres", "tsv", size, {
        header: false,
        columns: ["id", "name", "city"],
      });
      expect(rows(items)).toEqual([{ line: 1, cells: { id: "1", name: "café", city: "서울 A" } }]);
    }
  });

  test("\\0 never puts a NUL into a value, nor do bytes that are not UTF-8: their row is dead-lettered", async () => {
    const text = "1\tok\n2\ta\\0b\n3\t\\351t\\351\n4\tok\n";
    for (const size of [text.length, 1, 2]) {
      const items = await read(text, "postgres", "tsv", size, {
        header: false,
        columns: ["id", "name"],
      });
      expect(rows(items).map((r) => r.cells.id)).toEqual(["1", "4"]);
      const invalid = items.flatMap((i) =>
        i.kind === "invalid" ? [[i.line, i.raw, i.failure.code, i.failure.message]] : [],
      );
      expect(invalid).toEqual([
        [
          2,
          "2\ta\\0b",
          "CSV_PARSE",
          "\\0 holds a NUL byte (\\0), which no text value may hold, in field 2 at line 2",
        ],
        [
          3,
          "3\t\\351t\\351",
          "CSV_PARSE",
          "\\351 is not UTF-8 (escaped bytes are read as UTF-8 text), in field 2 at line 3",
        ],
      ]);
    }
  });

  test("its CSV format is plain CSV: quotes double, a backslash is text", async () => {
    const items = await read('id,note\n1,"a\\b ""c"""\n2,\n', "postgres", "csv");
    expect(rows(items)).toEqual([
      { line: 2, cells: { id: "1", note: 'a\\b "c"' } },
      { line: 3, cells: { id: "2", note: "" } },
    ]);
  });
});

describe("headerless files", () => {
  test("header: false with columns reads the first line as data", async () => {
    const items = await collectItems(
      readCsv(chunks("1,a@x\n2,b@x,extra\n3,c@x\n"), "h.csv", {
        format: "csv",
        delimiter: ",",
        header: false,
        columns: ["id", "email"],
      }),
    );
    expect(items[0]).toEqual({ kind: "header", columns: ["id", "email"] });
    expect(rows(items)).toEqual([
      { line: 1, cells: { id: "1", email: "a@x" } },
      { line: 3, cells: { id: "3", email: "c@x" } },
    ]);
    expect(items[2]).toMatchObject({
      kind: "invalid",
      line: 2,
      failure: { code: "CSV_COLUMN_COUNT" },
    });
  });

  test("columns with a header row replace it", async () => {
    const items = await collectItems(
      readCsv(chunks("이름,이름\n1,a@x\n"), "h.csv", {
        format: "csv",
        delimiter: ",",
        columns: ["id", "email"],
      }),
    );
    expect(items).toEqual([
      { kind: "header", columns: ["id", "email"] },
      { kind: "row", line: 2, cells: { id: "1", email: "a@x" } },
    ]);
  });

  test("an empty headerless file has no rows and no error", async () => {
    const items = await collectItems(
      readCsv(chunks(""), "h.csv", {
        format: "csv",
        delimiter: ",",
        header: false,
        columns: ["a"],
      }),
    );
    expect(items).toEqual([{ kind: "header", columns: ["a"] }]);
  });
});
