/**
 * Plain lines offered whole (src/source/whole-lines.ts): a line is offered only when splitting it
 * at the delimiter gives the cells the reader reads from it, and taking lines changes nothing but
 * their absence: the items left are those of a read that took none, with the same lines, in the
 * same order, whatever the chunks. Files of every shape the tokenizer reads: quotes over lines,
 * bad and unclosed quotes, CRLF and lone CRs, blank lines, a BOM, cells too many or too few, dumps'
 * escapes and PostgreSQL's end-of-data marker.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { headerOf } from "../../src/source/columns.js";
import { type CsvOptions, readCsv } from "../../src/source/csv.js";
import type { SourceItem } from "../../src/source/types.js";
import type { WholeLines } from "../../src/source/whole-lines.js";

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

interface Offered {
  readonly line: number;
  readonly text: string;
  readonly taken: boolean;
}

/** Takes the lines `takes` says, keeping every line offered and the columns given first. */
class Taker implements WholeLines {
  readonly offered: Offered[] = [];
  names: readonly string[] | undefined;
  constructor(private readonly takes: (line: number) => boolean) {}
  columns(names: readonly string[]): void {
    expect(this.names).toBeUndefined(); // once
    this.names = names;
  }
  take(text: string, start: number, end: number, line: number): boolean {
    expect(this.names).toBeDefined(); // never before the columns
    const taken = this.takes(line);
    this.offered.push({ line, text: text.slice(start, end), taken });
    return taken;
  }
}

async function read(text: string, size: number, options: CsvOptions) {
  const batches: (readonly SourceItem[])[] = [];
  for await (const batch of readCsv(chunks(text, size), "f.csv", options)) batches.push(batch);
  return batches;
}

/**
 * Reads `text` in chunks of `size` taking the lines `takes` says, and checks it against a read
 * that takes none: every line offered is a row of that read whose cells are the line split at the
 * delimiter, and the items are that read's but the rows taken. Returns the lines offered.
 */
async function check(
  text: string,
  size: number,
  options: CsvOptions,
  takes: (line: number) => boolean,
): Promise<Offered[]> {
  const all = (await read(text, text.length || 1, options)).flat();
  const taker = new Taker(takes);
  const batches = await read(text, size, { ...options, lines: taker });
  const items = new Map(all.flatMap((item) => (item.kind === "header" ? [] : [[item.line, item]])));
  const names = taker.names ?? [];
  const header = headerOf<string>(names);
  for (const { line, text: offered } of taker.offered) {
    const item = items.get(line);
    const cells = offered.split(options.delimiter);
    // Its cells are the line's split: a row of them, or, of another count, a record of them.
    const expected =
      cells.length === names.length
        ? { kind: "row", line, cells: header.toCells(cells) }
        : {
            kind: "invalid",
            line,
            raw: offered,
            failure: expect.objectContaining({ code: "CSV_COLUMN_COUNT" }),
          };
    expect(item, `line ${line} offered: ${JSON.stringify(offered)}`).toEqual(expected);
    if (item?.kind === "row")
      expect(Object.keys(item.cells)).toEqual(Object.keys(header.toCells(cells)));
  }
  const taken = new Set(taker.offered.filter((o) => o.taken).map((o) => o.line));
  const left = all.filter((item) => item.kind === "header" || !taken.has(item.line));
  expect(batches.flat()).toEqual(left);
  // An empty batch only for a text whose lines were all taken.
  if (taken.size === 0) for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
  return taker.offered;
}

const CSV: CsvOptions = { format: "csv", delimiter: "," };

/** `rows` lines after a header, the first ~2 chunks of 64 characters plain, then `pieces` at random. */
function randomFile(random: () => number, pieces: readonly string[], rows: number): string {
  let text = "id,name,note\n";
  for (let i = 0; i < rows; i++) {
    let line = "";
    const length = Math.floor(random() * 8);
    for (let j = 0; j < length; j++) line += pieces[Math.floor(random() * pieces.length)];
    text += `${line}\n`;
  }
  return text;
}

describe("lines offered whole", () => {
  it("offers only lines read as their split, and a read that takes some gives every other item", async () => {
    const random = seededRandom(20);
    const pieces = [
      "a",
      "b,",
      ",",
      "x,y",
      '"',
      '""',
      "\n",
      "\r\n",
      "\r",
      '","',
      "é",
      "😀",
      " ",
      "\uFEFF",
    ];
    let offered = 0;
    let takenAny = 0;
    for (let round = 0; round < 150; round++) {
      const text = randomFile(random, pieces, 30);
      for (const size of [7, 64, 1_000]) {
        const every = 1 + Math.floor(random() * 3);
        const lines = await check(text, size, CSV, (line) => line % every === 0);
        offered += lines.length;
        takenAny += lines.filter((o) => o.taken).length;
      }
    }
    expect(offered).toBeGreaterThan(1_000); // the lines exercised, not a vacuous pass
    expect(takenAny).toBeGreaterThan(300);
  });

  it("offers no line with a quote, a lone CR, or before the text after the header's", async () => {
    const lines = ["a,b,c", '"a",b,c', 'a,"b\nb",c', "a,b\r,c", "a,b,c\r", "x,y", "", "d,e,f"];
    const text = `id,name,note\n${"p,q,r\n".repeat(20)}${lines.join("\n")}\n`;
    const offered = await check(text, 16, CSV, () => true);
    const said = offered.map((o) => o.text);
    expect(said).toContain("a,b,c");
    expect(said).toContain("x,y"); // plain, of too few cells: for the taker to refuse
    expect(said).toContain("d,e,f");
    expect(said.some((t) => t.includes('"') || t.includes("\r"))).toBe(false);
    // The header's text (the first chunk of 16) is read as before: no line of it offered.
    expect(offered[0]?.line).toBeGreaterThan(2);
  });

  it("gives a BOM'd CRLF file's lines without their CR, and the rows after a taken run in place", async () => {
    const body = Array.from({ length: 200 }, (_, i) => `u${i},n${i},x\r\n`).join("");
    const text = `\uFEFFid,name,note\r\n${body}`;
    const offered = await check(text, 100, CSV, (line) => line % 7 !== 0);
    expect(offered.length).toBeGreaterThan(150);
    expect(offered.every((o) => !o.text.endsWith("\r"))).toBe(true);
  });

  it("recovers from an unclosed quote as before, lines after it offered once", async () => {
    const before = "p,q,r\n".repeat(30);
    const text = `id,name,note\n${before}a,"open,x\n${"s,t,u\n".repeat(30)}`;
    for (const size of [10, 64, text.length]) {
      const offered = await check(text, size, CSV, (line) => line % 2 === 0);
      const lines = offered.map((o) => o.line);
      expect(new Set(lines).size).toBe(lines.length);
    }
  });

  it("reads dumps: no line with an escape offered, none after PostgreSQL's end marker", async () => {
    const mysql: CsvOptions = { format: "tsv", delimiter: "\t", dialect: "mysql" };
    const rows = Array.from({ length: 100 }, (_, i) => `${i}\tn${i}\tz`).join("\n");
    const dump = `id\tname\tnote\n${rows}\n1\t\\N\tz\n2\ta\\\tb\tz\n3\tx\\\ny\tz\n"q"\tr\ts\n`;
    const offered = await check(dump, 50, { ...mysql, header: true }, () => true);
    expect(offered.some((o) => o.text.includes("\\"))).toBe(false);
    expect(offered.length).toBeGreaterThan(80);
    const postgres: CsvOptions = { format: "tsv", delimiter: "\t", dialect: "postgres" };
    const copy = `id\tname\tnote\n${rows}\n\\.\n${"4\td\te\n".repeat(30)}`;
    const after = await check(copy, 50, postgres, () => true);
    expect(after.every((o) => o.line <= 101)).toBe(true); // the lines after \. are reported
  });

  it("offers lines under columns given for a file without a header row, from the start", async () => {
    const text = "u1,a,b\nu2,c,d\n".repeat(50);
    const options: CsvOptions = { ...CSV, header: false, columns: ["id", "name", "note"] };
    const offered = await check(text, 30, options, () => true);
    expect(offered[0]?.line).toBe(1);
  });

  it("gives an empty batch for a text whose lines were all taken, so the taker hears of them in order", async () => {
    const texts = ["id,name,note\n", ...Array.from({ length: 20 }, () => "p,q,r\n".repeat(5))];
    const taker = new Taker(() => true);
    const batches: (readonly SourceItem[])[] = [];
    async function* given() {
      yield* texts;
    }
    for await (const batch of readCsv(given(), "f.csv", { ...CSV, lines: taker }))
      batches.push(batch);
    expect(batches).toEqual([
      [{ kind: "header", columns: ["id", "name", "note"] }],
      ...texts.slice(1).map(() => []),
    ]);
    expect(taker.offered.map((o) => o.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  });

  it("offers nothing with a delimiter of more than one character", async () => {
    const options: CsvOptions = { format: "csv", delimiter: "||" };
    const text = `id||name\n${"a||b\n".repeat(50)}`;
    expect(await check(text, 20, options, () => true)).toEqual([]);
  });
});
