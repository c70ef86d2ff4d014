/**
 * The diff worker's taker of plain lines (src/run/known-lines.ts) keys a line as the run keys the
 * row read from it (row-key.ts `RowTexts` of its cells): a line is taken exactly when that key is
 * known, for a header whose rows enumerate its columns in order (`__proto__`, empty names,
 * non-ASCII), and never for one whose rows do not (a repeated name, integer-like names), nor
 * under another delimiter, nor a line holding a backslash; whatever the texts (empty cells,
 * non-ASCII, pairs and lone surrogates); and a taken line's cells, made again from it, are the
 * reader's. Then the worker itself, taking lines from a file of several
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
import { RowTexts } from "../../src/state/row-key.js";
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
