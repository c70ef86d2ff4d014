/**
 * The diff worker keeps a batch's known rows' cells as code units in a typed array
 * (run/held-cells.ts): what it gives back must be the rows it was given, exactly (the same names
 * in the same order, the same texts code unit for code unit, null as null), since a row mapped
 * after all is mapped from them.
 */
import { describe, expect, it } from "vitest";
import { HeldCells } from "../../src/run/held-cells.js";

type Cells = Record<string, unknown>;

/** What a row holds, as observable: its names in enumeration order and its values. */
const entries = (rows: readonly Readonly<Cells>[]) => rows.map((row) => Object.entries(row));

function held(rows: readonly Readonly<Cells>[]): HeldCells {
  const cells = new HeldCells();
  for (const row of rows) cells.add(row);
  return cells;
}

describe("HeldCells", () => {
  it("gives back rows of one shape exactly: empty texts, nulls, lone surrogates, long texts", () => {
    const long = `${"가".repeat(20_000)}\uD800x`; // more than one String.fromCharCode call
    const rows: Cells[] = [
      { id: "u1", email: "a@b.c", name: "" },
      { id: "u2", email: null, name: "\uDC00 lone \uD83D\uDE00 pair" },
      { id: "u3", email: long, name: null },
    ];
    for (let i = 0; i < 5_000; i++) rows.push({ id: `u${i}`, email: `${i}@x.y`, name: "n" });
    const back = held(rows).cells();
    expect(back).toEqual(rows);
    expect(entries(back)).toEqual(entries(rows));
    expect(back[2]?.email).toBe(long);
  });

  it("keeps a row of another shape as itself, in its place", () => {
    const odd = [
      { id: "u2", email: "x" }, // a name fewer
      { id: "u3", email: "x", name: "y", more: "z" }, // a name more
      { email: "x", id: "u4", name: "y" }, // another order
      { id: "u5", email: 5, name: "y" }, // a value of another kind
    ];
    const rows: Cells[] = [
      { id: "u1", email: "a", name: "b" },
      ...odd,
      { id: "u6", email: "c", name: null },
    ];
    const back = held(rows).cells();
    expect(entries(back)).toEqual(entries(rows));
    for (const row of odd) expect(back).toContain(row); // the same object
  });

  it("keeps names that enumerate apart from their order of creation, and __proto__, exactly", () => {
    const numbered: Cells[] = [
      { b: "1", "2": "two", a: "3" },
      { b: "4", "2": "five", a: null },
    ];
    expect(entries(held(numbered).cells())).toEqual(entries(numbered));
    const proto = Object.defineProperty({ id: "u1" }, "__proto__", {
      value: "p",
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const back = held([proto, proto]).cells();
    expect(back[0]).toBe(proto);
    expect(Object.keys(back[1] ?? {})).toEqual(["id", "__proto__"]);
  });

  it("is empty again once cleared, and takes another shape", () => {
    const cells = held([{ id: "u1", email: "a".repeat(70_000) }]);
    cells.clear();
    expect(cells.cells()).toEqual([]);
    cells.add({ x: "1", y: null });
    cells.add({ x: "2", y: "3" });
    expect(entries(cells.cells())).toEqual([
      [
        ["x", "1"],
        ["y", null],
      ],
      [
        ["x", "2"],
        ["y", "3"],
      ],
    ]);
  });

  it("gives back rows wider than its lengths' first doubling (10,000 columns) exactly", () => {
    const wide = (n: number): Cells => {
      const row: Cells = {};
      for (let c = 0; c < 10_000; c++) row[`c${c}`] = c % 7 === 0 ? null : `${n}:${c}`;
      return row;
    };
    const rows = [wide(1), wide(2), wide(3)];
    expect(entries(held(rows).cells())).toEqual(entries(rows));
  });

  it("gives back lines taken whole among rows, in their places, made into cells when asked", () => {
    const cells = new HeldCells();
    const ofLine = (line: string): Cells => ({ line });
    const chunk = "u1,a\nu2,b\nu3,c\n";
    const other = "u4,d\n";
    cells.addSpan(chunk, 0, 4);
    cells.add({ id: "x", v: null });
    cells.addSpan(chunk, 5, 9);
    cells.addSpan(other, 0, 4); // another text
    cells.add({ id: "y", v: "z" });
    for (let i = 0; i < 5_000; i++) cells.addSpan(chunk, 10, 14); // past its first arrays' sizes
    const back = cells.cells(ofLine);
    expect(back.slice(0, 5)).toEqual([
      { line: "u1,a" },
      { id: "x", v: null },
      { line: "u2,b" },
      { line: "u4,d" },
      { id: "y", v: "z" },
    ]);
    expect(back.slice(5)).toEqual(Array.from({ length: 5_000 }, () => ({ line: "u3,c" })));
    expect(() => cells.cells()).toThrow(/no way to read it/);
    cells.clear();
    expect(cells.cells(ofLine)).toEqual([]);
    cells.addSpan(other, 0, 4);
    expect(cells.cells(ofLine)).toEqual([{ line: "u4,d" }]);
  });

  it("gives back lines taken in runs exactly: the breaks and lines between skipped, runs cut anywhere", () => {
    const ofLine = (line: string): Cells => ({ line });
    const two = "가\uD800é😀"; // two-byte code units, a lone surrogate and a pair
    const lines = Array.from({ length: 6_000 }, (_, i) =>
      i % 7 === 0 ? `u${i},${two}` : i % 11 === 0 ? "" : `u${i},user${i}@example.com`,
    );
    const long = `skipped,${"x".repeat(300)}`; // more between two lines than a run spans
    const text = lines
      .map((line, i) => `${line}${i % 3 === 0 ? "\r\n" : "\n"}${i === 50 ? `${long}\n` : ""}`)
      .join("");
    const same = `${text}`; // equal text, another string (or the same: either way the same units)
    const cells = new HeldCells();
    const expected: Cells[] = [];
    let start = 0;
    for (const [i, line] of lines.entries()) {
      const end = start + line.length;
      const source = i % 500 < 250 ? text : same;
      if (i % 13 !== 0 && line !== "") {
        cells.addSpan(source, start, end); // lines not taken (every 13th, the blank ones) between
        expected.push(ofLine(line));
      }
      if (i % 997 === 0) {
        cells.add({ id: `row${i}`, v: null }); // a row of cells cuts the run
        expected.push({ id: `row${i}`, v: null });
      }
      start = end + (i % 3 === 0 ? 2 : 1) + (i === 50 ? long.length + 1 : 0);
    }
    const other = "other,line\n";
    cells.addSpan(other, 0, 10);
    expected.push(ofLine("other,line"));
    expect(cells.cells(ofLine)).toEqual(expected);
    // Asked mid-run, then the run goes on: the same rows, and the rows after.
    const [first, second] = lines as [string, string];
    cells.addSpan(text, 0, first.length);
    expected.push(ofLine(first));
    expect(cells.cells(ofLine)).toEqual(expected);
    cells.addSpan(text, first.length + 2, first.length + 2 + second.length);
    cells.settle();
    cells.settle(); // once written, nothing more
    expected.push(ofLine(second));
    expect(cells.cells(ofLine)).toEqual(expected);
    cells.clear();
    cells.addSpan(text, 0, (lines[0] as string).length);
    expect(cells.cells(ofLine)).toEqual([ofLine(lines[0] as string)]);
  });
});
