import { describe, expect, it } from "vitest";
import { ExactNumber } from "../../src/api/exact-number.js";
import { canonicalJson } from "../../src/state/canonical.js";
import { CanonicalBytes } from "../../src/state/canonical-bytes.js";
import { seeded } from "../emulator/helpers.js";

const bytesOf = (value: unknown, writer = new CanonicalBytes()) => {
  writer.reset();
  writer.write(value);
  return Buffer.from(writer.bytes.subarray(0, writer.length)).toString("utf8");
};

const VALUES: [string, unknown][] = [
  ["keys in any order, at every depth", { b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } }],
  ["escapes and control characters", { 'q"': 'say "hi"\\', tab: "a\tb\n", nul: "\u0000" }],
  ["non-ASCII text", { name: "김민준", emoji: "🎉", accent: "é" }],
  ["a lone surrogate", ["\ud800", "a\udfffb"]],
  ["numbers", [0, -0, 1.5, -2e-7, 1e21, 12345678901234, Number.NaN, Number.POSITIVE_INFINITY]],
  ["left-out values", { a: undefined, b: () => 1, c: Symbol("s"), d: 1, e: [undefined, () => 2] }],
  ["an ExactNumber", { id: new ExactNumber("12345678901234567890") }],
  [
    "rarer values",
    [
      new Date(0),
      12n,
      new Map([
        ["b", 1],
        ["a", 2],
      ]),
      new Set(["y", "x"]),
    ],
  ],
  ["empty things", [{}, [], "", { a: {} }]],
  ["booleans and null", [true, false, null]],
  [
    "many keys, some non-ASCII",
    Object.fromEntries([..."zyxwvutsrqponmlkjihgfedcbaé한_Z0"].map((k, i) => [k, i])),
  ],
  ["a bare string", "plain"],
  ["undefined at the top", undefined],
];

describe("CanonicalBytes", () => {
  it.each(VALUES)("writes the UTF-8 of canonicalJson: %s", (_, value) => {
    expect(bytesOf(value)).toBe(canonicalJson(value));
  });

  it("writes the same as canonicalJson for random events, reusing one growing buffer", () => {
    const random = seeded(7);
    const writer = new CanonicalBytes();
    const pick = (chars: string) => chars[Math.floor(random() * chars.length)] as string;
    const text = (n: number) =>
      Array.from({ length: n }, () => pick('abcXYZ 019"\\\n\té한🎉-_')).join("");
    for (let i = 0; i < 300; i++) {
      const properties: Record<string, unknown> = {};
      for (let k = 0; k < 1 + (i % 7); k++) {
        properties[text(1 + (k % 5))] = k % 3 === 0 ? text(i % 40) : random() * 10 ** (k % 12);
      }
      const items = Array.from({ length: i % 4 }, (_, j) => ({ sku: text(j + 2), qty: j }));
      const value = [{ external_id: text(5) }, "df_purchase", text(24), properties, items];
      expect(bytesOf(value, writer)).toBe(canonicalJson(value));
    }
    expect(bytesOf("x".repeat(5000), writer)).toBe(JSON.stringify("x".repeat(5000)));
  });

  it("starts again from a prefix", () => {
    const writer = new CanonicalBytes();
    writer.reset(Uint8Array.of(1, 2));
    writer.write({ a: 1 });
    expect([...writer.bytes.subarray(0, writer.length)]).toEqual([1, 2, ...Buffer.from('{"a":1}')]);
  });
});
