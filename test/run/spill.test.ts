import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rowFailure } from "../../src/errors.js";
import { fileAt } from "../../src/run/file-book.js";
import { IdentityRuns, MAX_PARTS } from "../../src/run/identity-runs.js";
import type { Finished, Row } from "../../src/run/kind.js";
import { Scratch } from "../../src/run/scratch.js";
import { bucketOf, Spill, type Spilled } from "../../src/run/spill.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { SheetDate, SheetError } from "../../src/util/sheet-values.js";

const scratch = () => new Scratch(1_000, join(mkdtempSync(join(tmpdir(), "spill-")), "s"));
const row = (at: number, cells: unknown): Row => ({ line: at, at, row: cells, format: "ndjson" });
const readBack = (spill: Spill): Spilled[] => [...spill.sorted()];

describe("the spill", () => {
  it("gives the rows back by identity, file order within one, an order with its first row", async () => {
    const s = scratch();
    const spill = new Spill(s, "ndjson");
    spill.add({ identity: "u2" }, row(2, { n: 1 }));
    spill.add({ identity: "u1", group: "o1" }, row(3, { n: 2 }));
    spill.add({ identity: "u2" }, row(4, { n: 3 }));
    spill.add({ identity: "", group: "o1" }, row(5, { n: 4 })); // did not map: still with o1
    spill.addUnreadable({ ...row(6, "{broken"), failure: rowFailure("input", "X", "bad") });
    spill.add({ identity: "u1" }, row(7, { n: 5 }));
    const back = readBack(spill).map((r) => [r.kind, r.row.line]);
    const u1 = [
      ["row", 3],
      ["row", 5],
      ["unreadable", 6],
      ["row", 7],
    ];
    const u2 = [
      ["row", 2],
      ["row", 4],
    ];
    // Users come bucket by bucket (a hash of the identity), by identity within one.
    expect(back).toEqual(bucketOf("u1") <= bucketOf("u2") ? [...u1, ...u2] : [...u2, ...u1]);
    s.close();
  });

  it("gives every row back once, each user's together and in file order, however many users", async () => {
    const s = scratch();
    const spill = new Spill(s, "ndjson");
    const users = 1_000; // spread over every bucket
    for (let at = 0; at < 20_000; at++)
      spill.add({ identity: `user-${(at * 7) % users}` }, row(at, {}));
    const back = readBack(spill).map((r) => r.row.at);
    expect([...back].sort((a, b) => a - b)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    const userOf = (at: number) => (at * 7) % users;
    const seen = new Set<number>();
    for (const [i, at] of back.entries()) {
      const before = back[i - 1];
      if (before !== undefined && userOf(before) === userOf(at)) {
        expect(at).toBeGreaterThan(before); // file order within a user
        continue;
      }
      expect(seen.has(userOf(at))).toBe(false); // a user's rows come in one piece
      seen.add(userOf(at));
    }
    expect(seen.size).toBe(users);
    s.close();
  });

  it("reads a large spill back in short steps: none takes a seventh of the read-back", () => {
    const s = scratch();
    const spill = new Spill(s, "csv");
    const bio = "x".repeat(500);
    const rows = 100_000; // 50 MB of 5,000 users, interleaved
    for (let at = 0; at < rows; at++) {
      const cells = { id: `u${at % 5_000}`, bio };
      spill.add({ identity: cells.id }, { line: at, at, row: cells, format: "csv" });
    }
    /** The longest step of a read-back (a call for the next row), as a part of the whole. */
    const longestPart = () => {
      const rowsBack = spill.sorted();
      let longest = 0;
      let back = 0;
      const started = performance.now();
      for (;;) {
        const before = performance.now();
        const next = rowsBack.next();
        longest = Math.max(longest, performance.now() - before);
        if (next.done === true) break;
        back++;
      }
      expect(back).toBe(rows);
      return longest / (performance.now() - started);
    };
    // The least of three read-backs: another process taking the core (or a garbage collection)
    // during a step is not the step's length. One sort of every row was a single step of a
    // quarter to a third of the read-back, mostly waiting for its temporary files: the reading
    // loop can let the event loop in only between steps. A bucket's sort is a 256th of it.
    const parts = [longestPart(), longestPart(), longestPart()];
    expect(Math.min(...parts)).toBeLessThan(0.15); // measured 0.045-0.074; one sort: 0.24-0.34
    s.close();
  });

  it("keeps an NDJSON row's 64-bit numbers, its occurrence and whether it was done", async () => {
    const s = scratch();
    const spill = new Spill(s, "ndjson");
    const cells = parseJson('{"id":12345678901234567890,"x":"a"}');
    spill.add({ identity: "u1" }, { ...row(2, cells), occurrence: 2, done: true });
    const [back] = readBack(spill);
    expect(back?.kind === "row" && back.row).toEqual({
      line: 2,
      at: 2,
      row: { id: new ExactNumber("12345678901234567890"), x: "a" },
      format: "ndjson",
      occurrence: 2,
      done: true,
    });
    s.close();
  });
});

describe("a user's units, merged", () => {
  const unit = (user: string, at: number, props: Record<string, number>) =>
    ({
      ok: true,
      identity: { external_id: user },
      unit: props,
      rows: [row(at, {})],
    }) as Finished<Record<string, number>> & { ok: true };
  const merge = (a: Record<string, number>, b: Record<string, number>) => ({ ...a, ...b });

  it("into one a run of the same identity, the later winning, with its parts", () => {
    let merged = 0;
    const runs = new IdentityRuns(merge, (n) => {
      merged += n;
    });
    expect(runs.push(unit("u1", 2, { a: 1, b: 1 })).ready).toEqual([]);
    expect(runs.push(unit("u1", 3, { b: 2 })).ready).toEqual([]);
    const next = runs.push(unit("u2", 4, { a: 9 }));
    expect(next.ended).toBe(true);
    expect(next.ready.map((u) => [u.unit, u.rows.map((r) => r.at), u.parts?.length])).toEqual([
      [{ a: 1, b: 2 }, [2, 3], 2],
    ]);
    expect(runs.flush().map((u) => [u.unit, u.parts])).toEqual([[{ a: 9 }, undefined]]);
    expect(merged).toBe(1);
  });

  it("at most MAX_PARTS rows into one update", () => {
    const runs = new IdentityRuns(merge, () => {});
    const out = [];
    for (let i = 0; i < MAX_PARTS + 5; i++) out.push(...runs.push(unit("u1", i + 2, { i })).ready);
    out.push(...runs.flush());
    expect(out.map((u) => u.rows.length)).toEqual([MAX_PARTS, 5]);
  });
});

describe("the spill of a workbook's rows", () => {
  it("gives back date and error cells as they were read, and each row's file", async () => {
    const s = scratch();
    const spill = new Spill(s, "xlsx");
    const cells = {
      when: new SheetDate(Date.UTC(2024, 2, 1, 9, 30)),
      n: 1.5,
      e: new SheetError("#N/A"),
    };
    const at = fileAt(2, 5);
    spill.add({ identity: "u1" }, { line: 5, file: "b.xlsx", at, row: cells, format: "xlsx" });
    const [back] = readBack(spill);
    expect(back?.kind === "row" && back.row).toEqual({
      line: 5,
      file: "b.xlsx",
      at,
      row: cells,
      format: "xlsx",
    });
    const row = back?.kind === "row" ? (back.row.row as typeof cells) : undefined;
    expect(row?.when).toBeInstanceOf(SheetDate);
    expect(row?.e).toBeInstanceOf(SheetError);
    s.close();
  });
});
