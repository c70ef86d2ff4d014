/**
 * The diff worker's taker of plain lines (src/run/known-lines.ts) keys a line as the run keys the
 * row read from it (row-key.ts `RowTexts` of its cells): a line is taken exactly when that key is
 * known, for a header whose rows enumerate its columns in order (`__proto__`, empty names,
 * non-ASCII), and never for one whose rows do not (a repeated name, integer-like names), nor
 * under another delimiter, nor a line holding a backslash; whatever the texts (empty cells,
 * non-ASCII, pairs and lone surrogates); and a taken line's cells, made again from it, are the
 * reader's. A line keyed ahead of its offer (with the lines after it) is answered as the line's own
 * key says, whatever lines are offered, in whatever texts, under the rows and columns given last.
 * Then the worker itself, taking lines from a file of several
 * chunks: its batches say what a read that takes none says.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { DiffWorker } from "../../src/run/diff-source.js";
import type { KnownItem } from "../../src/run/diff-wire.js";
import { KnownLines } from "../../src/run/known-lines.js";
import { headerOf } from "../../src/source/columns.js";
import { readSource } from "../../src/source/read.js";
import type { SourceItem } from "../../src/source/types.js";
import { IdentityTable } from "../../src/state/identities.js";
import { KnownRows } from "../../src/state/known-rows.js";
import { RowTexts, rowKeyOfText } from "../../src/state/row-key.js";
import { StateStore } from "../../src/state/store.js";
import { statePath, tempDir } from "../state/helpers.js";

const PREFIX = "secret-prefix-for-the-test";
const TEXTS = new RowTexts(PREFIX, ",");
/** The run's key of a row's cells (a RowTexts of its own: the taker's TEXTS keeps its head). */
const keyOfRow = (cells: Readonly<Record<string, unknown>>): string | undefined =>
  new RowTexts(PREFIX, ",").key(cells, "csv");

/** The known rows of a state file whose identities hold the row keys `keys`. */
function knownRows(keys: readonly string[]): KnownRows {
  const path = statePath();
  StateStore.open(path).close();
  const db = new Database(path);
  const table = new IdentityTable(db);
  for (const [i, raw] of keys.entries()) table.upsert(`identity-${i}`, `hash-${i}`, raw);
  const rows = KnownRows.load(db, 1_000_000) as KnownRows;
  db.close();
  return rows;
}

/** Headers, and whether their rows enumerate the columns in order (then lines may be taken). */
const HEADERS: readonly (readonly [readonly string[], boolean])[] = [
  [["id", "email", "points"], true],
  [["__proto__", "id"], true],
  [["", "x"], true],
  [["이름", "메일"], true],
  [["id", "name", "id"], false], // a repeated name: the last column's text, the first's place
  [["b", "2", "a"], false], // an integer-like name enumerates first
];

const PIECES = ["", "a", "7", " ", "é", "가나", "😀", "\uD800", "\uDC00", "x y", "0", "\\", "\\N"];

function randomLine(random: () => number, cells: number): string {
  const texts: string[] = [];
  for (let i = 0; i < cells; i++) {
    let text = "";
    const length = Math.floor(random() * 4);
    for (let j = 0; j < length; j++) text += PIECES[Math.floor(random() * PIECES.length)];
    texts.push(text);
  }
  return texts.join(",");
}

describe("KnownLines", () => {
  it("takes a line exactly when the key of the row read from it is known", () => {
    const random = seededRandom(9);
    for (const [names, inOrder] of HEADERS) {
      const header = headerOf<string>(names);
      const lines = Array.from({ length: 400 }, (_, i) =>
        randomLine(random, i % 50 === 0 ? names.length + 1 : names.length),
      );
      const cellsOf = (line: string) => header.toCells(line.split(","));
      const keys = lines.map((line) => keyOfRow(cellsOf(line)));
      // Every other line's row known: a line of the same cells (a repeated name's) too.
      const knownKeys = new Set(keys.filter((key, i) => i % 2 === 0 && key !== undefined));
      const rows = knownRows([...knownKeys] as string[]);
      const taker = new KnownLines(TEXTS, "csv", ",");
      taker.columns(names);
      taker.look(rows);
      let took = 0;
      lines.forEach((line, i) => {
        const text = `..${line}\n`; // a line within a text
        const taken = taker.take(text, 2, 2 + line.length, i + 2);
        // The texts the row holds (a repeated name's first text is not one) in the plain form.
        const held = Object.values(cellsOf(line)).join("|");
        const paired = held.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "");
        const wellFormed = !/[\uD800-\uDFFF]/.test(paired);
        // A line of another cell count is no row's texts (the reader makes it a bad record).
        const count = line.split(",").length === names.length;
        const plainKey = inOrder && count && !line.includes("\\") && wellFormed;
        expect(taken, `${JSON.stringify(names)} ${JSON.stringify(line)}`).toBe(
          plainKey && knownKeys.has(keys[i]),
        );
        if (taken) took++;
      });
      if (inOrder) expect(took).toBeGreaterThan(30);
      const taken = taker.drain();
      expect(taken.lines.length).toBe(took);
      taken.lines.forEach((line, t) => {
        const text = lines[line - 2] as string;
        expect(taken.texts[t]?.slice(taken.starts[t], taken.ends[t])).toBe(text);
        const cells = taker.cellsOf(text);
        expect(Object.entries(cells)).toEqual(Object.entries(cellsOf(text)));
        expect(taken.slots[t]).toBe(rows.slotOf(keys[line - 2] as string));
      });
      expect(taker.drain().lines).toEqual([]);
    }
  });

  it("takes nothing before it is given the known rows, nor under a delimiter the keys do not write with", () => {
    const known = knownRows([keyOfRow({ id: "u1", v: "x" }) as string]);
    const taker = new KnownLines(TEXTS, "csv", ",");
    taker.columns(["id", "v"]);
    expect(taker.take("u1,x\n", 0, 4, 2)).toBe(false);
    taker.look(known);
    expect(taker.take("u1,x\n", 0, 4, 2)).toBe(true);
    // Read with `;` while the keys write with `,`: the line `a,b;c` is the cells a,b | c, but as
    // a text it is the key's text of a | b;c. Taken, it would name another row.
    const other = knownRows([keyOfRow({ id: "a", v: "b;c" }) as string]);
    const semicolons = new KnownLines(TEXTS, "csv", ";");
    semicolons.columns(["id", "v"]);
    semicolons.look(other);
    expect(semicolons.take("a,b;c\n", 0, 5, 2)).toBe(false);
    const commas = new KnownLines(TEXTS, "csv", ",");
    commas.columns(["id", "v"]);
    commas.look(other);
    expect(commas.take("a,b;c\n", 0, 5, 2)).toBe(true); // read with `,`, it is that row
  });

  it("answers a line keyed ahead as the line's own key: lines skipped or not plain, texts cut anywhere", () => {
    const random = seededRandom(11);
    const names = ["id", "email", "points"];
    const head = TEXTS.head("csv", names);
    // Known lines, lines not known, lines a reader would not offer (a quote, a lone CR, a
    // backslash), blank ones; ended by LF or CRLF.
    const kinds = [
      (i: number) => `u${i},user${i}@example.com,${i}`,
      (i: number) => `u${i},user${i}@example.com,${i}`,
      (i: number) => `new${i},n${i}@example.com,${i}`,
      (i: number) => `u${i},"quoted, ${i}",${i}`,
      (i: number) => `u${i},lone\rcr,${i}`,
      (i: number) => `u${i},back\\slash,${i}`,
      () => "",
    ];
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const kind = kinds[Math.floor(random() * kinds.length)] as (i: number) => string;
      return `${kind(i)}${random() < 0.5 ? "\n" : "\r\n"}`;
    });
    const keyOf = (line: string) => rowKeyOfText(head + line);
    const known = knownRows(
      Array.from({ length: 3000 }, (_, i) => keyOf(`u${i},user${i}@example.com,${i}`) as string),
    );
    const all = lines.join("");
    for (const order of ["in order", "any order"]) {
      const taker = new KnownLines(TEXTS, "csv", ",");
      taker.columns(names);
      taker.look(known);
      const expected: { slot: number; line: number }[] = [];
      // Texts cut anywhere, a line begun in one ending in the next (held over, as a reader does).
      let carry = "";
      let line = 0;
      for (let at = 0; at < all.length; ) {
        const cut = Math.min(all.length, at + 1 + Math.floor(random() * 400));
        const text = carry + all.slice(at, cut);
        at = cut;
        const places: [number, number][] = [];
        let start = 0;
        for (let lf = text.indexOf("\n"); lf !== -1; lf = text.indexOf("\n", start)) {
          places.push([start, text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf]);
          start = lf + 1;
        }
        carry = text.slice(start);
        const offered =
          order === "in order"
            ? places.filter(() => random() < 0.8) // some lines not offered
            : places.map(() => places[Math.floor(random() * places.length)] as [number, number]);
        for (const [from, to] of offered) {
          const texts = text.slice(from, to);
          const key = texts.includes("\\") ? undefined : keyOf(texts);
          const slot = key === undefined ? -1 : known.slotOf(key);
          line++;
          expect(taker.take(text, from, to, line), JSON.stringify(texts)).toBe(slot !== -1);
          if (slot !== -1) expected.push({ slot, line });
        }
      }
      const taken = taker.drain();
      expect(taken.lines.map((line, t) => ({ slot: taken.slots[t], line }))).toEqual(expected);
      expect(expected.length).toBeGreaterThan(300);
    }
  });

  it("keys ahead under the rows and columns given last", () => {
    const taker = new KnownLines(TEXTS, "csv", ",");
    const text = "u1,x\nu2,y\nu3,z\n";
    taker.columns(["id", "v"]);
    taker.look(knownRows([keyOfRow({ id: "u2", v: "y" }) as string]));
    expect(taker.take(text, 0, 4, 2)).toBe(false); // u1 keyed, and u2, u3 ahead of their offer
    taker.look(knownRows([keyOfRow({ id: "u3", v: "z" }) as string]));
    expect(taker.take(text, 5, 9, 3)).toBe(false); // u2: no longer known
    taker.columns(["id", "w"]);
    expect(taker.take(text, 10, 14, 4)).toBe(false); // u3, under other names: another row
    taker.columns(["id", "v"]);
    expect(taker.take(text, 10, 14, 4)).toBe(true);
  });
});

describe("the diff worker, taking lines", () => {
  it("gives what a read that takes none gives: known rows as (line, slot), their cells when asked", async () => {
    const dir = tempDir();
    const input = join(dir, "users.csv");
    const lines = ["id,email,points"];
    for (let i = 0; i < 30_000; i++) {
      if (i % 997 === 0)
        lines.push(`u${i},"quoted, ${i}@x.y",${i}`); // read, not offered
      else if (i % 1_009 === 0)
        lines.push(""); // blank
      else lines.push(`u${i},user${i}@example.com,${i}`);
    }
    writeFileSync(input, `${lines.join("\r\n")}\r\n`);
    const options = { input, format: "csv" as const };
    const all: SourceItem[] = [];
    for await (const item of readSource(options)) all.push(item);
    const rows = all.flatMap((item) => (item.kind === "row" ? [item] : []));
    const keyOf = (row: SourceItem & { kind: "row" }) => keyOfRow(row.cells);
    const isKnown = (line: number) => line % 3 !== 0;
    const known = knownRows(rows.filter((r) => isKnown(r.line)).map((r) => keyOf(r) as string));
    // Batches of 64, two unacknowledged: the worker reads ahead of the slots 128 rows at most,
    // so most lines are offered once the slots are given.
    const worker = new DiffWorker({
      options,
      prefix: PREFIX,
      delimiter: ",",
      markers: [],
      batchItems: 64,
      inFlight: 2,
    });
    worker.give(known.shared());
    const got: { line: number; cells: unknown; slot?: number }[] = [];
    try {
      for (;;) {
        const batch = await worker.next();
        if (batch === undefined) break;
        for (const item of batch.items) {
          if (item.kind === "header" || item.kind === "file") continue;
          if (item.kind !== "known") {
            got.push({ line: item.line, cells: item.kind === "row" ? item.cells : item.raw });
            continue;
          }
          const { batch: held, from, to } = item as KnownItem;
          const cells = await held.cells();
          for (let i = from; i < to; i++) {
            const line = held.pairs[2 * i] as number;
            const slot = held.pairs[2 * i + 1] as number;
            got.push({ line, cells: cells[i], slot });
          }
        }
        worker.ack(batch.id);
      }
    } finally {
      await worker.close();
    }
    const expected = all.flatMap((item) => {
      if (item.kind === "header") return [];
      if (item.kind !== "row") return [{ line: item.line, cells: item.raw }];
      if (!isKnown(item.line)) return [{ line: item.line, cells: item.cells }];
      return [{ line: item.line, cells: item.cells, slot: known.slotOf(keyOf(item) as string) }];
    });
    expect(got).toEqual(expected);
    expect(got.filter((g) => g.slot !== undefined).length).toBeGreaterThan(19_000);
  });
});
