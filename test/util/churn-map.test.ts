import { describe, expect, it } from "vitest";
import { ChurnMap } from "../../src/util/churn-map.js";

describe("ChurnMap", () => {
  it("answers as a Map would over many copies: entries, order, sizes", () => {
    const churn = new ChurnMap<string, number>();
    const map = new Map<string, number>();
    // A window of 300 keys: each step adds one, deletes the oldest, and moves a middle one last.
    for (let i = 0; i < 20_000; i++) {
      for (const m of [churn, map]) {
        m.set(`k${i}`, i);
        if (i >= 300) m.delete(`k${i - 300}`);
        if (i >= 150 && m.delete(`k${i - 150}`)) m.set(`k${i - 150}`, -i);
      }
      if (i % 997 === 0) expect([...churn]).toEqual([...map]);
    }
    expect([...churn]).toEqual([...map]);
    expect([...churn.values()]).toEqual([...map.values()]);
    expect(churn.size).toBe(300);
    expect(churn.get("k19999")).toBe(19_999);
    expect(churn.get("k19849")).toBe(-19_999);
    expect(churn.has("k19699")).toBe(false);
    expect(churn.delete("k19699")).toBe(false);
  });

  it("may have what it visits deleted while a loop goes over it, across a copy", () => {
    const churn = new ChurnMap<number, string>();
    for (let i = 0; i < 5_000; i++) churn.set(i, `v${i}`);
    const seen: number[] = [];
    for (const [key] of churn) {
      seen.push(key);
      churn.delete(key);
    }
    expect(seen).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    churn.set(5_000, "after"); // the set after 5,000 deletions copies an empty map
    expect([...churn]).toEqual([[5_000, "after"]]);
  });
});
