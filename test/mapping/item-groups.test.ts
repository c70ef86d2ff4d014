import { describe, expect, it } from "vitest";
import { applyEventMapping } from "../../src/mapping/apply-event.js";
import { type Group, ItemGroups } from "../../src/mapping/item-groups.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { EventRules, Mapping } from "../../src/mapping/types.js";
import { GROUPED_MAPPING } from "../cli/event-fixtures.js";

const mapping = parseMapping(GROUPED_MAPPING, "events.yaml") as Mapping & {
  readonly event: EventRules;
};

const cells = (user: string, order: string, sku: string) => ({
  user_id: user,
  order_id: order,
  created_at: "2024-05-14T06:05:46Z",
  sku,
});

/** Pushes rows (line 2 on); what each push gave, and what the flush gave last. */
function feed(groups: ItemGroups, rows: Iterable<Record<string, string>>): (Group | undefined)[] {
  const out: (Group | undefined)[] = [];
  let line = 2;
  for (const c of rows) {
    const result = applyEventMapping(mapping, { kind: "row", line, cells: c }, "csv");
    out.push(groups.push(c.order_id, { line, row: c }, result));
    line++;
  }
  out.push(groups.flush());
  return out;
}

const lines = (g: Group | undefined) => g?.rows.map((r) => r.line);
const codes = (g: Group | undefined) =>
  g === undefined || g.ok ? undefined : [...new Set(g.rows.map((r) => r.failure.code))];

describe("an order whose rows are not adjacent", () => {
  it("fails every row of the part that comes back, naming both line ranges", () => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    const out = feed(groups, [
      cells("u1", "o1", "A"),
      cells("u1", "o1", "B"),
      cells("u2", "o2", "C"),
      cells("u1", "o1", "D"),
      cells("u1", "o1", "E"),
      cells("u3", "o3", "F"),
    ]).filter((g) => g !== undefined);
    expect(out.map((g) => [g.ok, lines(g)])).toEqual([
      [true, [2, 3]],
      [true, [4]],
      [false, [5, 6]],
      [true, [7]],
    ]);
    const split = out[2];
    if (split === undefined || split.ok) throw new Error("expected the split part to fail");
    expect(split.rows.map((r) => r.failure.code)).toEqual(["GROUP_SPLIT", "GROUP_SPLIT"]);
    expect(split.rows[0]?.failure.message).toBe(
      'group order_id = "o1": lines 5-6 come back after the group\'s earlier rows, lines 2-3, were closed by other rows; an event is sent whole or not at all, and the earlier part went on as an event of its own (it may have been sent): sort the file by its group column, or use --group-by-identity',
    );
  });

  it("names the first part each time the value comes back", () => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    const out = feed(groups, [
      cells("u1", "o1", "A"),
      cells("u2", "o2", "B"),
      cells("u1", "o1", "C"),
      cells("u2", "o2", "D"),
      cells("u1", "o1", "E"),
    ]).filter((g) => g !== undefined);
    expect(out.map((g) => [lines(g), codes(g)])).toEqual([
      [[2], undefined],
      [[3], undefined],
      [[4], ["GROUP_SPLIT"]],
      [[5], ["GROUP_SPLIT"]],
      [[6], ["GROUP_SPLIT"]],
    ]);
    const messages = out.map((g) => (g?.ok === false ? g.rows[0]?.failure.message : ""));
    expect(messages[4]).toMatch(/^group order_id = "o1": line 6 comes back after .* lines? 2,/);
  });

  it("never takes rows of their own (an empty group value) for a split group", () => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    const out = feed(groups, [cells("u1", "", "A"), cells("u2", "o2", "B"), cells("u3", "", "C")]);
    expect(out.filter((g) => g !== undefined).map((g) => g.ok)).toEqual([true, true, true]);
  });
});

describe("a group with more rows than can be sent", () => {
  it("is held until its row past the limit, then failed row by row as it streams", () => {
    const groups = new ItemGroups("order_id", { maxRows: 3 });
    const big = Array.from({ length: 6 }, (_, i) => cells("u1", "big", `S${i}`));
    const out = feed(groups, [...big, cells("u2", "o2", "X")]);
    expect(out.map((g) => [lines(g), codes(g)])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [[2, 3, 4, 5], ["TOO_MANY_ITEMS"]], // the 4th row: the group can never be sent
      [[6], ["TOO_MANY_ITEMS"]],
      [[7], ["TOO_MANY_ITEMS"]],
      [undefined, undefined], // the next group closes the big one: nothing of it is left
      [[8], undefined],
    ]);
    const first = out[3];
    expect(first?.ok === false && first.rows[0]?.failure.message).toBe(
      'group order_id = "big": more than 3 rows (an item each) from line 2, over the API\'s 3 items per request',
    );
  });

  it("keeps the row at fault's own failure and names it to the rows still to come", () => {
    const groups = new ItemGroups("order_id", { maxRows: 2 });
    const out = feed(groups, [
      cells("u1", "big", "A"),
      cells("u9", "big", "B"),
      cells("u1", "big", "C"),
      cells("u1", "big", "D"),
    ]);
    const failures = out.flatMap((g) => (g?.ok === false ? g.rows : []));
    expect(failures.map((r) => [r.line, r.failure.code])).toEqual([
      [2, "GROUP_FAILED"],
      [3, "GROUP_MISMATCH"],
      [4, "GROUP_FAILED"],
      [5, "GROUP_FAILED"],
    ]);
    expect(failures[3]?.failure.message).toMatch(
      /^group order_id = "big": line 3 of the same event/,
    );
  });

  it("holds at most the limit's rows of a group however long it goes on", () => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    let line = 2;
    let failed = 0;
    const c = cells("u1", "huge", "A");
    const result = applyEventMapping(mapping, { kind: "row", line, cells: c }, "csv");
    for (; line < 100_002; line++) {
      const g = groups.push("huge", { line, row: c }, result);
      failed += g?.rows.length ?? 0;
      // Once over the limit every row comes straight back: none is held.
      if (line > 102) expect(g?.rows.length).toBe(1);
    }
    expect(failed).toBe(100_000);
    expect(groups.flush()).toBeUndefined();
  });
});
