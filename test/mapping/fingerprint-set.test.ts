import { describe, expect, it } from "vitest";
import { FingerprintSet } from "../../src/mapping/fingerprint-set.js";
import { seeded } from "../emulator/helpers.js";

describe("FingerprintSet", () => {
  it("adds a fingerprint once, telling a new member from a repeat", () => {
    const set = new FingerprintSet();
    expect(set.add(1, 2)).toBe(true);
    expect(set.add(1, 2)).toBe(false);
    expect(set.add(2, 1)).toBe(true);
    expect(set.add(-1, -1)).toBe(true);
    expect(set.add(-1, -1)).toBe(false);
    expect(set.size).toBe(3);
  });

  it("keeps every member as it grows, through many collisions", () => {
    const random = seeded(3);
    const set = new FingerprintSet(1);
    const members: [number, number][] = [];
    let added = 0;
    for (let i = 0; i < 40_000; i++) {
      // A few thousand share 13 high words (long probe runs), the rest are random as digests are.
      const high = i < 3_000 ? i % 13 : Math.floor(random() * 2 ** 32) | 0;
      const pair: [number, number] = [high, Math.floor(random() * 2 ** 32) | 0];
      members.push(pair);
      if (set.add(...pair)) added++;
    }
    expect(added).toBe(40_000);
    expect(members.every((pair) => !set.add(...pair))).toBe(true);
    expect(set.size).toBe(40_000);
  });

  it("takes (0, 0), the empty slot's mark, as a member too", () => {
    const set = new FingerprintSet();
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
  });
});
