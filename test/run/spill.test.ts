import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rowFailure } from "../../src/errors.js";
import { fileAt } from "../../src/run/file-book.js";
import { IdentityRuns, MAX_PARTS } from "../../src/run/identity-runs.js";
import type { Finished, Row } from "../../src/run/kind.js";
import { Scratch } from "../../src/run/scratch.js";
import { Spill } from "../../src/run/spill.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { SheetDate, SheetError } from "../../src/util/sheet-values.js";

const scratch = () => new Scratch(1_000, join(mkdtempSync(join(tmpdir(), "spill-")), "s"));
const row = (at: number, cells: unknown): Row => ({ line: at, at, row: cells, format: "ndjson" });

describe("the spill", () => {
  it("gives the rows back by identity, file order within one, an order with its first row", () => {
    const s = scratch();
    const spill = new Spill(s, "ndjson");
    spill.add({ identity: "u2" }, row(2, { n: 1 }));
    spill.add({ identity: "u1", group: "o1" }, row(3, { n: 2 }));
    spill.add({ identity: "u2" }, row(4, { n: 3 }));
    spill.add({ identity: "", group: "o1" }, row(5, { n: 4 })); // did not map: still with o1
    spill.addUnreadable({ ...row(6, "{broken"), failure: rowFailure("input", "X", "bad") });
    spill.add({ identity: "u1" }, row(7, { n: 5 }));
    const back = [...spill.sorted()].map((r) => [r.kind, r.row.line]);
    expect(back).toEqual([
      ["row", 3],
      ["row", 5],
      ["unreadable", 6],
      ["row", 7],
      ["row", 2],
      ["row", 4],
    ]);
    s.close();
  });

  it("keeps an NDJSON row's 64-bit numbers, its occurrence and whether it was done", () => {
    const s = scratch();
    const spill = new Spill(s, "ndjson");
    const cells = parseJson('{"id":12345678901234567890,"x":"a"}');
    spill.add({ identity: "u1" }, { ...row(2, cells), occurrence: 2, done: true });
    const [back] = [...spill.sorted()];
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
  it("gives back date and error cells as they were read, and each row's file", () => {
    const s = scratch();
    const spill = new Spill(s, "xlsx");
    const cells = {
      when: new SheetDate(Date.UTC(2024, 2, 1, 9, 30)),
      n: 1.5,
      e: new SheetError("#N/A"),
    };
    const at = fileAt(2, 5);
    spill.add({ identity: "u1" }, { line: 5, file: "b.xlsx", at, row: cells, format: "xlsx" });
    const [back] = [...spill.sorted()];
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
