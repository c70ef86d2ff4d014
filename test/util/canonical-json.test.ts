import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CanonicalBytes, canonicalJson, canonicalKeys } from "../../src/util/canonical-json.js";
import { ExactNumber } from "../../src/util/exact-number.js";
import { seeded } from "../emulator/helpers.js";

const bytesOf = (value: unknown, writer = new CanonicalBytes()) => {
  writer.reset();
  writer.write(value);
  return Buffer.from(writer.written()).toString("utf8");
};

/**
 * Canonical JSON of plain JSON values written the plainest way, as the reference: keys sorted,
 * each primitive as JSON.stringify writes it, what it leaves out left out of objects and null in
 * arrays.
 */
function reference(value: unknown): string | undefined {
  if (Array.isArray(value)) return `[${value.map((v) => reference(v) ?? "null").join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .flatMap((key) => {
      const text = reference(object[key]);
      return text === undefined ? [] : [`${JSON.stringify(key)}:${text}`];
    });
  return `{${members.join(",")}}`;
}

const PLAIN: [string, unknown][] = [
  ["keys in any order, at every depth", { b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } }],
  ["escapes and control characters", { 'q"': 'say "hi"\\', tab: "a\tb\n", nul: "\u0000" }],
  ["non-ASCII text", { name: "김민준", emoji: "🎉", accent: "é" }],
  ["a lone surrogate", ["\ud800", "a\udfffb"]],
  ["numbers", [0, -0, 1.5, -2e-7, 1e21, 12345678901234, Number.NaN, Number.POSITIVE_INFINITY]],
  ["left-out values", { a: undefined, b: () => 1, c: Symbol("s"), d: 1, e: [undefined, () => 2] }],
  ["integer-like keys, sorted as text", { 10: "a", 9: "b", x: "c", 1: "d" }],
  ["empty things", [{}, [], "", { a: {} }]],
  ["booleans and null", [true, false, null]],
  [
    "many keys, some non-ASCII",
    Object.fromEntries([..."zyxwvutsrqponmlkjihgfedcbaé한_Z0"].map((k, i) => [k, i])),
  ],
  ["a bare string", "plain"],
  ["a long string", "x".repeat(5000)],
];

/** 300 events with random keys, texts and numbers, as an event id writes them. */
function randomEvents(): unknown[] {
  const random = seeded(7);
  const pick = (chars: string) => chars[Math.floor(random() * chars.length)] as string;
  const text = (n: number) =>
    Array.from({ length: n }, () => pick('abcXYZ 019"\\\n\té한🎉-_')).join("");
  return Array.from({ length: 300 }, (_, i) => {
    const properties: Record<string, unknown> = {};
    for (let k = 0; k < 1 + (i % 7); k++) {
      properties[text(1 + (k % 5))] = k % 3 === 0 ? text(i % 40) : random() * 10 ** (k % 12);
    }
    const items = Array.from({ length: i % 4 }, (_, j) => ({ sku: text(j + 2), qty: j }));
    return [{ external_id: text(5) }, "df_purchase", text(24), properties, items];
  });
}

describe("canonicalJson", () => {
  it.each(PLAIN)("writes plain JSON with sorted keys: %s", (_, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it("writes random events as the reference does, and their UTF-8 into one growing buffer", () => {
    const writer = new CanonicalBytes(16);
    for (const event of randomEvents()) {
      expect(canonicalJson(event)).toBe(reference(event));
      expect(bytesOf(event, writer)).toBe(canonicalJson(event));
    }
  });

  it("writes the values beyond JSON", () => {
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson(12n)).toBe('"12n"');
    const map = new Map<unknown, unknown>([
      ["b", 1],
      ["a", { y: 2, x: undefined }],
      [3, undefined],
    ]);
    expect(canonicalJson(map)).toBe('{"$map":[["a",{"y":2}],["b",1],[3,null]]}');
    expect(canonicalJson(new Set(["y", "x", 1]))).toBe('{"$set":["x","y",1]}');
    expect(canonicalJson({ id: new ExactNumber("12345678901234567890") })).toBe(
      '{"id":{"text":"12345678901234567890"}}',
    );
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(() => 1)).toBe("null");
  });

  it("writes Maps by sorted entries whatever their order, and skips functions", () => {
    const one = new Map([
      ["x", 1],
      ["w", 2],
    ]);
    const two = new Map([
      ["w", 2],
      ["x", 1],
    ]);
    expect(canonicalJson({ m: one, f: () => 1 })).toBe(canonicalJson({ m: two }));
    expect(canonicalJson(new Map([["x", 2]]))).not.toBe(canonicalJson(new Map([["x", 1]])));
  });

  it("writes the text event ids and state hashes were made with (digest pinned before the two writers became one)", () => {
    const all = [...PLAIN.map(([, v]) => v), ...randomEvents()];
    all.push([
      new Date(0),
      12n,
      new Map<unknown, unknown>([
        ["b", 1],
        ["a", 2],
        [1, [3]],
      ]),
      new Set(["y", "x", 1]),
    ]);
    const digest = createHash("sha256");
    for (const value of all) digest.update(`${canonicalJson(value)}\n`);
    expect(digest.digest("hex")).toBe(
      "864620ab2a1cb1a5c8030bec521eb201b4fb763ea10294c6080b3e7376f11554",
    );
  });

  it("gives the bytes written as they are now, at a length seen before, after growing, and past the views kept", () => {
    const writer = new CanonicalBytes(8);
    expect(bytesOf({ a: 1 }, writer)).toBe('{"a":1}');
    expect(bytesOf({ b: 2 }, writer)).toBe('{"b":2}'); // the same length: the same view, new bytes
    const long = { text: "x".repeat(5000) };
    expect(bytesOf(long, writer)).toBe(JSON.stringify(long)); // grown, and past the views kept
    expect(bytesOf({ c: 3 }, writer)).toBe('{"c":3}'); // a view of the grown buffer
    expect(writer.written().buffer).toBe(writer.bytes.buffer);
  });

  it("starts again from a prefix", () => {
    const writer = new CanonicalBytes();
    writer.reset(Uint8Array.of(1, 2));
    writer.write({ a: 1 });
    expect([...writer.bytes.subarray(0, writer.length)]).toEqual([1, 2, ...Buffer.from('{"a":1}')]);
  });

  it("writes an object by its known keys as it writes it by its own, whatever keys it has", () => {
    const keys = canonicalKeys(["z", "b", "한", "a", "B", "a"]) as readonly string[];
    expect(keys).toEqual(["B", "a", "b", "z", "한"]);
    const objects: Record<string, unknown>[] = [
      {},
      { z: 1, a: "x" },
      { a: 1, b: 2, z: 3, B: 4, 한: "값" },
      { a: { nested: [1, { y: 2, x: 1 }] }, b: null },
      { a: 1, other: 2 }, // a key beyond them
      { a: 1, b: undefined }, // a key set to undefined
      { a: () => 1, b: 2 }, // a value left out
      { a: new ExactNumber("12345678901234567890") },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
    ];
    const byKeys = (object: Record<string, unknown>) => {
      const writer = new CanonicalBytes();
      writer.writeByKeys(object, keys);
      return Buffer.from(writer.written()).toString("utf8");
    };
    for (const object of objects) expect(byKeys(object)).toBe(bytesOf(object));
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(byKeys({ a: 1 })).toBe('{"a":1}');
    } finally {
      delete proto.polluted;
    }
  });

  it("has no known keys for names an object inherits", () => {
    expect(canonicalKeys(["a", "toString"])).toBeUndefined();
    expect(canonicalKeys(["__proto__"])).toBeUndefined();
  });
});
