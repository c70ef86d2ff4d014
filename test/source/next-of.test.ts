/**
 * NextOf (src/source/next-of.ts) finds a character's next place as `indexOf` does, asked at
 * places in any order (the diff worker's taker looks ahead of the lines offered, then from an
 * offered line again) and in texts one after another.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { NextOf } from "../../src/source/next-of.js";

describe("NextOf", () => {
  it("answers as indexOf from any place, asked in any order, in any text", () => {
    const random = seededRandom(5);
    const next = new NextOf('"');
    const texts = ['a"b""c\n"', "no quote here", '"', "", 'x"y'];
    for (let n = 0; n < 2000; n++) {
      const text = texts[Math.floor(random() * texts.length)] as string;
      const i = Math.floor(random() * (text.length + 1));
      const at = text.indexOf('"', i);
      expect(next.from(text, i), `${JSON.stringify(text)} from ${i}`).toBe(
        at === -1 ? text.length : at,
      );
    }
  });
});
