import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha1 } from "../../src/mapping/sha1.js";
import { seeded } from "../emulator/helpers.js";

const hex = (words: Int32Array) =>
  [...words].map((w) => (w >>> 0).toString(16).padStart(8, "0")).join("");

function jsSha1(data: Uint8Array): string {
  const buffer = new Uint8Array(data.length + 72);
  buffer.set(data);
  const out = new Int32Array(5);
  sha1(buffer, data.length, out);
  return hex(out);
}

const nodeSha1 = (data: Uint8Array) => createHash("sha1").update(data).digest("hex");

describe("sha1", () => {
  it("gives the FIPS 180 examples", () => {
    expect(jsSha1(Buffer.from("abc"))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(jsSha1(new Uint8Array(0))).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
  });

  it("agrees with node:crypto at every length around the block and padding edges", () => {
    const random = seeded(11);
    for (let length = 0; length <= 300; length++) {
      const data = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      expect(jsSha1(data), `length ${length}`).toBe(nodeSha1(data));
    }
    const long = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff);
    expect(jsSha1(long)).toBe(nodeSha1(long));
  });

  it("refuses a buffer without room to pad", () => {
    expect(() => sha1(new Uint8Array(60), 56, new Int32Array(5))).toThrow(RangeError);
  });
});
