import { describe, expect, it } from "vitest";
import { LineOrder } from "../../src/run/line-order.js";

const lines = (items: Iterable<{ line: number }>) => [...items].map((i) => i.line);

describe("LineOrder", () => {
  it("puts items that arrive a few places late back in line order", () => {
    const order = new LineOrder<{ line: number; tag?: string }>(3);
    const out: { line: number }[] = [];
    for (const line of [3, 1, 2, 6, 4, 5, 9, 7, 8, 10]) {
      const next = order.push({ line });
      if (next !== undefined) out.push(next);
    }
    out.push(...order.drain());
    expect(lines(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("keeps arrival order among items of the same line, and holds no more than its capacity", () => {
    const order = new LineOrder<{ line: number; tag: string }>(2);
    const out = [
      order.push({ line: 5, tag: "a" }),
      order.push({ line: 5, tag: "b" }),
      order.push({ line: 5, tag: "c" }),
    ];
    expect(order.size).toBe(2);
    expect([...out.filter((x) => x !== undefined), ...order.drain()].map((x) => x?.tag)).toEqual([
      "a",
      "b",
      "c",
    ]);
  });
});
