import { describe, expect, it } from "vitest";
import { FingerprintSet } from "../../src/mapping/fingerprint-set.js";
import { seeded } from "../emulator/helpers.js";

describe("FingerprintSet", () => {
  it("adds a fingerprint, telling how often it has been added", () => {
    const set = new FingerprintSet();
    expect(set.add(7, 1, 2)).toBe(1);
    expect(set.add(7, 1, 2)).toBe(2);
    expect(set.add(7, 2, 1)).toBe(1);
    expect(set.add(8, 1, 2)).toBe(1); // another table: another fingerprint
    expect(set.add(7, -1, -1)).toBe(1);
    expect(set.add(7, -1, 0xffff)).toBe(2); // 16 bits of the low word are kept
    expect(set.size).toBe(4);
  });

  it("counts past a byte, and keeps the counts as tables grow", () => {
    const set = new FingerprintSet(1);
    for (let n = 1; n <= 1_000; n++) expect(set.add(5, 9, 9)).toBe(n);
    for (let i = 0; i < 5_000; i++) set.add(5, i + 100, i); // grows table 5 many times
    expect(set.add(5, 9, 9)).toBe(1_001);
    expect(set.add(5, 100, 0)).toBe(2);
  });

  it("keeps every member as it grows, through long probe runs", () => {
    const random = seeded(3);
    const set = new FingerprintSet(1);
    const members: [number, number, number][] = [];
    let added = 0;
    for (let i = 0; i < 40_000; i++) {
      // A few thousand in one table with 13 high words (long runs), the rest spread as digests are.
      const word = () => Math.floor(random() * 2 ** 32) | 0;
      const member: [number, number, number] =
        i < 3_000 ? [0, i % 13, i] : [word(), word(), word()];
      members.push(member);
      if (set.add(...member) === 1) added++;
    }
    expect(added).toBe(40_000);
    expect(members.every((member) => set.add(...member) === 2)).toBe(true);
    expect(set.size).toBe(40_000);
  });

  it("takes (0, 0), the empty slot's mark, as a member too", () => {
    const set = new FingerprintSet();
    expect(set.add(0, 0, 0)).toBe(1);
    expect(set.add(0, 0, 0)).toBe(2);
    // As when (0, 0) marked an empty slot, it shares one with (0, 1): ids made before stay the same.
    expect(set.add(0, 0, 1)).toBe(3);
    expect(set.add(1, 0, 1)).toBe(1);
  });
});
