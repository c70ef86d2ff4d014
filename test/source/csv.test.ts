import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { readCsv } from "../../src/source/csv.js";
import { readSource } from "../../src/source/read.js";
import type { SourceFormat, SourceItem } from "../../src/source/types.js";
import { chunks, collect, collectItems, split, tempFile } from "./helpers.js";

const CSV = { format: "csv", delimiter: "," } as const;

async function read(
  content: string,
  options: { name?: string; format?: SourceFormat; delimiter?: string } = {},
): Promise<SourceItem[]> {
  const input = await tempFile(options.name ?? "users.csv", content);
  const { format = "csv", delimiter } = options;
  return collect(readSource({ input, format, ...(delimiter === undefined ? {} : { delimiter }) }));
}

/** Reads text given in `size`-character chunks, straight into the CSV stage. */
function readInChunks(text: string, size: number): Promise<SourceItem[]> {
  return collectItems(readCsv(chunks(...split(text, size)), "chunks.csv", CSV));
}

function rows(items: SourceItem[]) {
  return items.flatMap((item) =>
    item.kind === "row" ? [{ line: item.line, cells: item.cells }] : [],
  );
}

function invalids(items: SourceItem[]) {
  return items.flatMap((item) =>
    item.kind === "invalid" ? [{ line: item.line, code: item.failure.code, raw: item.raw }] : [],
  );
}

async function readError(content: string): Promise<InputError> {
  const error = await read(content).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** An InputError's message without the temporary directory. */
function messageOf(error: InputError): string {
  return error.message.slice(error.file.length - "users.csv".length);
}

describe("CSV header", () => {
  test("comes first, with the column names exactly as written", async () => {
    const items = await read(" email ,Name,user id\na@x,Ann,1\n");
    expect(items[0]).toEqual({ kind: "header", columns: [" email ", "Name", "user id"] });
    expect(items[1]).toEqual({
      kind: "row",
      line: 2,
      cells: { " email ": "a@x", Name: "Ann", "user id": "1" },
    });
  });

  test("loses the UTF-8 BOM: the first column is `email`, not `\\ufeffemail`", async () => {
    const [header, row] = await read("\ufeffemail,name\r\na@x,Ann\r\n");
    expect(header).toEqual({ kind: "header", columns: ["email", "name"] });
    expect(row).toMatchObject({ cells: { email: "a@x" } });
  });

  test("repeated and empty column names are read (the mapping refuses only one it reads)", async () => {
    const items = await read("email,비고,비고,,\na,b,c,,\n");
    expect(items[0]).toEqual({ kind: "header", columns: ["email", "비고", "비고", "", ""] });
    expect(rows(items)).toEqual([{ line: 2, cells: { email: "a", 비고: "c", "": "" } }]);
  });

  test("an unreadable header row is an InputError", async () => {
    const error = await readError('email,na"me\na,b\n');
    expect(messageOf(error)).toMatch(
      /^users\.csv:1: cannot read the header row: Invalid Opening Quote/,
    );
  });

  test("an empty file is an InputError", async () => {
    await expect(read("")).rejects.toThrow(
      /users\.csv: the input is empty: there is no header row$/,
    );
    await expect(read("\n\n")).rejects.toThrow(InputError);
  });

  test("a header alone gives the header and no rows", async () => {
    expect(await read("email,name\n")).toEqual([{ kind: "header", columns: ["email", "name"] }]);
  });

  test("a column named __proto__ is kept as a plain cell", async () => {
    const [, row] = await read("email,__proto__\na@x,evil\n");
    expect(row?.kind === "row" && Object.entries(row.cells)).toEqual([
      ["email", "a@x"],
      ["__proto__", "evil"],
    ]);
  });
});

describe("CSV records", () => {
  test("reads quoted commas, escaped quotes and empty cells", async () => {
    const items = await read('a,b,c\n"x, y","say ""hi""",\n,"",z\n');
    expect(rows(items)).toEqual([
      { line: 2, cells: { a: "x, y", b: 'say "hi"', c: "" } },
      { line: 3, cells: { a: "", b: "", c: "z" } },
    ]);
  });

  test("a quoted newline keeps the value and the next record starts on the right line", async () => {
    const items = await read('email,note\na@x,"line 1\nline 2\nline 3"\nb@x,plain\n');
    expect(rows(items)).toEqual([
      { line: 2, cells: { email: "a@x", note: "line 1\nline 2\nline 3" } },
      { line: 5, cells: { email: "b@x", note: "plain" } },
    ]);
  });

  test("CRLF inside quotes arrives as written and does not push later lines down", async () => {
    const items = await read(
      'email,note\r\na@x,"one\r\ntwo"\r\nb@x,"three\r\nfour\r\nfive"\r\nc@x,six\r\n',
    );
    expect(rows(items)).toEqual([
      { line: 2, cells: { email: "a@x", note: "one\r\ntwo" } },
      { line: 4, cells: { email: "b@x", note: "three\r\nfour\r\nfive" } },
      { line: 7, cells: { email: "c@x", note: "six" } },
    ]);
  });

  test("lines stay right across read chunks in a large CRLF file with multi-line cells", async () => {
    const records = Array.from({ length: 5000 }, (_, i) => `u${i}@x,"a\r\nb"`);
    const items = await read(`email,note\r\n${records.join("\r\n\r\n")}\r\n`);
    const lines = rows(items).map((row) => row.line);
    expect(lines).toHaveLength(5000);
    expect(lines.every((line, i) => line === 2 + 3 * i)).toBe(true);
  });

  test("reads LF, CRLF and old-Mac CR files alike", async () => {
    const expected = [
      { line: 2, cells: { a: "1", b: "2" } },
      { line: 3, cells: { a: "3", b: "4" } },
    ];
    expect(rows(await read("a,b\n1,2\n3,4\n"))).toEqual(expected);
    expect(rows(await read("a,b\r\n1,2\r\n3,4\r\n"))).toEqual(expected);
    expect(rows(await read("a,b\r1,2\r3,4"))).toEqual(expected);
  });

  test("skips blank lines and still gives each record its own line", async () => {
    const items = await read("\nemail\n\na@x\n\n\nb@x\r\n\r\nc@x");
    expect(items[0]).toEqual({ kind: "header", columns: ["email"] });
    expect(rows(items).map((row) => row.line)).toEqual([4, 7, 9]);
  });

  test.each([
    [";", "a;b\n1;2\n"],
    ["|", "a|b\n1|2\n"],
    ["\t", "a\tb\n1\t2\n"],
  ])("splits on the delimiter %j", async (delimiter, text) => {
    expect(rows(await read(text, { delimiter }))).toEqual([{ line: 2, cells: { a: "1", b: "2" } }]);
  });

  test("a .tsv source splits on tabs by default, and keeps commas", async () => {
    const items = await read("a\tb\n1,5\t2\n", { name: "users.tsv", format: "tsv" });
    expect(rows(items)).toEqual([{ line: 2, cells: { a: "1,5", b: "2" } }]);
  });

  test("a delimiter it cannot use is an InputError", async () => {
    await expect(read("a,b\n", { delimiter: '"' })).rejects.toThrow(
      /cannot use "\\"" as the CSV delimiter/,
    );
  });
});

describe("CSV records that cannot be read", () => {
  test("a record with too few or too many cells is invalid, and reading goes on", async () => {
    const items = await read('email,name\r\na@x,Ann\r\nb@x\r\nc@x,"Cy, Jr",extra\r\nd@x,Dee\r\n');
    expect(invalids(items)).toEqual([
      { line: 3, code: "CSV_COLUMN_COUNT", raw: "b@x" },
      { line: 4, code: "CSV_COLUMN_COUNT", raw: 'c@x,"Cy, Jr",extra' },
    ]);
    expect(items.find((item) => item.kind === "invalid")).toMatchObject({
      failure: { stage: "input", code: "CSV_COLUMN_COUNT", message: "expected 2 cells, found 1" },
    });
    expect(rows(items).map((row) => row.line)).toEqual([2, 5]);
  });

  test("a column-count record after blank lines keeps only its own text and line", async () => {
    const items = await read('a,b\n\n\n1,"2\n3",4\n5,6\n');
    expect(invalids(items)).toEqual([{ line: 4, code: "CSV_COLUMN_COUNT", raw: '1,"2\n3",4' }]);
    expect(rows(items)).toEqual([{ line: 6, cells: { a: "5", b: "6" } }]);
  });

  test("a quote inside an unquoted cell makes the record invalid, not the run", async () => {
    const items = await read('email,name\na@x,Ann\nb@x,Bo"b\nc@x,Cy\n');
    expect(invalids(items)).toEqual([{ line: 3, code: "CSV_PARSE", raw: 'b@x,Bo"b' }]);
    expect(items.find((item) => item.kind === "invalid")).toMatchObject({
      failure: {
        stage: "input",
        code: "CSV_PARSE",
        message: expect.stringMatching(/Invalid Opening Quote/),
      },
    });
    expect(rows(items).map((row) => row.line)).toEqual([2, 4]);
  });

  test("text after a closing quote makes the record invalid; later lines stay right", async () => {
    const items = await read(
      'email,name\r\na@x,"Ann"x\r\nb@x,"Bo\r\nb"\r\nc@x,"Cy"\r\nd@x,Dee\r\n',
    );
    // the bad record ends with its line; line 3 starts afresh, with a quoted two-line cell
    expect(invalids(items)).toEqual([{ line: 2, code: "CSV_PARSE", raw: 'a@x,"Ann"x' }]);
    expect(rows(items)).toEqual([
      { line: 3, cells: { email: "b@x", name: "Bo\r\nb" } },
      { line: 5, cells: { email: "c@x", name: "Cy" } },
      { line: 6, cells: { email: "d@x", name: "Dee" } },
    ]);
  });

  test("two bad records in a row are two invalid items", async () => {
    const items = await read('a,b\n1,x"y\n\n2,z"w\n3,ok\n');
    expect(invalids(items)).toEqual([
      { line: 2, code: "CSV_PARSE", raw: '1,x"y' },
      { line: 4, code: "CSV_PARSE", raw: '2,z"w' },
    ]);
    expect(rows(items)).toEqual([{ line: 5, cells: { a: "3", b: "ok" } }]);
  });

  test("a quote left open at the end costs only the line that opened it; the lines after it are read", async () => {
    for (const end of ["", "\n", "\r\n"]) {
      const items = await read(`email,note\na@x,ok\n\nb@x,"never closed\nc@x,kept${end}`);
      expect(items.filter((i) => i.kind === "invalid")).toEqual([
        {
          kind: "invalid",
          line: 4,
          raw: 'b@x,"never closed',
          failure: {
            stage: "input",
            code: "CSV_PARSE",
            message: "a quote opened on line 4 is not closed by the end of the input",
          },
        },
      ]);
      expect(rows(items)).toEqual([
        { line: 2, cells: { email: "a@x", note: "ok" } },
        { line: 5, cells: { email: "c@x", note: "kept" } },
      ]);
    }
  });

  test("a quote never closed well amid many lines costs its line; a long quoted cell that closes is whole", async () => {
    const after = Array.from({ length: 30 }, (_, i) => `u${i + 3},row ${i}`).join("\r\n");
    const text = `id,name\r\nu1,"a\r\nb\r\nc"\r\nu2,"open\r\n${after}\r\nu9,"closes\r\nhere"\r\n`;
    for (const size of [text.length, 7]) {
      const items = await collectItems(readCsv(chunks(...split(text, size)), "x.csv", CSV));
      expect(invalids(items)).toEqual([{ line: 5, code: "CSV_PARSE", raw: 'u2,"open' }]);
      const read_ = rows(items);
      expect(read_[0]).toEqual({ line: 2, cells: { id: "u1", name: "a\r\nb\r\nc" } });
      expect(read_.slice(1, 31).map((r) => r.line)).toEqual(
        Array.from({ length: 30 }, (_, i) => i + 6),
      );
      expect(read_[31]).toEqual({ line: 36, cells: { id: "u9", name: "closes\r\nhere" } });
    }
  });

  test("a quote opened on one line and closed badly on a later one costs only the opening line", async () => {
    for (const nl of ["\n", "\r\n"]) {
      const text = ["id,email,memo", '1,"a,open', "2,b,ok", '3,c,"x"', "4,d,e", ""].join(nl);
      for (const size of [text.length, 3]) {
        const items = await readInChunks(text, size);
        expect(invalids(items)).toEqual([{ line: 2, code: "CSV_PARSE", raw: '1,"a,open' }]);
        expect(items.find((i) => i.kind === "invalid")).toMatchObject({
          failure: { message: "a quote opened on line 2 is followed by a bad quote on line 4" },
        });
        expect(rows(items)).toEqual([
          { line: 3, cells: { id: "2", email: "b", memo: "ok" } },
          { line: 4, cells: { id: "3", email: "c", memo: "x" } },
          { line: 5, cells: { id: "4", email: "d", memo: "e" } },
        ]);
      }
    }
  });

  test("a bad quote right after a cut multi-line record keeps its own line number (CRLF)", async () => {
    const items = await read('id,email,memo\r\n1,"a,open\r\n2,b,"x"y\r\n3,c,a"b\r\n');
    expect(invalids(items).map((i) => i.line)).toEqual([2, 3, 4]);
  });

  test("gives the same items whatever the chunk size", async () => {
    const text =
      'email,note\r\n\r\na@x,"x, ""y""\r\nz"\r\nb@x\r\nc@x,q"q\r\nd@x,"d"d\r\ne@x,e\r\nf@x,"open\r\n';
    const whole = await readInChunks(text, text.length);
    // line 7's bad closing quote ends with its line; line 9's quote stays open to the end
    expect(invalids(whole).map((item) => item.line)).toEqual([5, 6, 7, 9]);
    expect(rows(whole).map((row) => row.line)).toEqual([3, 8]);
    for (const size of [1, 2, 3, 7]) expect(await readInChunks(text, size)).toEqual(whole);
  });

  test("a stray quote is an invalid row of its own line, and the rows after it are read", async () => {
    const after = Array.from({ length: 50_000 }, (_, i) => `${i + 3},n${i}`).join("\n");
    const items = await read(`id,name\n1,"a"b\n${after}\n`);
    expect(invalids(items)).toEqual([{ line: 2, code: "CSV_PARSE", raw: '1,"a"b' }]);
    const read_ = rows(items);
    expect(read_).toHaveLength(50_000);
    expect(read_[0]).toEqual({ line: 3, cells: { id: "3", name: "n0" } });
    expect(read_.at(-1)).toEqual({ line: 50_002, cells: { id: "50002", name: "n49999" } });
  });

  test("quotes later on a bad record's line do not open a cell that swallows later lines", async () => {
    const items = await read('a,b\n1,x"y,"z\n2,ok\n3,"q"r,"s\n4,fine');
    expect(invalids(items)).toEqual([
      { line: 2, code: "CSV_PARSE", raw: '1,x"y,"z' },
      { line: 4, code: "CSV_PARSE", raw: '3,"q"r,"s' },
    ]);
    expect(rows(items).map((row) => row.line)).toEqual([3, 5]);
  });

  test("a quote open past the size limit costs only its line, and memory stays bounded", async () => {
    const after = Array.from({ length: 2_000 }, (_, i) => `${i},row`).join("\n");
    const text = `id,name\n1,"never closed\n${after}\n`;
    const items = await collectItems(
      readCsv(chunks(...split(text, 100)), "big.csv", {
        ...CSV,
        maxRecordSize: 1_000,
      }),
    );
    expect(invalids(items)).toEqual([{ line: 2, code: "CSV_PARSE", raw: '1,"never closed' }]);
    expect(rows(items)).toHaveLength(2_000);
    expect(rows(items)[1999]).toEqual({ line: 2002, cells: { id: "1999", name: "row" } });
  });

  test("a record near the limit is still read", async () => {
    const long = "x".repeat(900);
    const text = `id,name\n1,"${long}"\n2,b\n`;
    const items = await collectItems(
      readCsv(chunks(text), "big.csv", { ...CSV, maxRecordSize: 1_000 }),
    );
    expect(rows(items).map((row) => row.line)).toEqual([2, 3]);
  });
});
