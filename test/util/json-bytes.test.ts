import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { ExactNumber, stringifyExactly } from "../../src/util/exact-number.js";
import { BytesBody, jsonBytes } from "../../src/util/json-bytes.js";

const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");

/** The bytes JSON.stringify's text is sent as (undici's Buffer.from of the string). */
const stringified = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) as string).toString("utf8");

class Body extends BytesBody {
  readonly common: object;
  readonly events: unknown[];
  constructor(common: object, events: unknown[]) {
    super();
    this.common = common;
    this.events = events;
  }
}

describe("jsonBytes", () => {
  it("writes what JSON.stringify writes, byte for byte, for plain data", () => {
    const nullProto = Object.assign(Object.create(null) as object, { b: 1, a: "x" });
    const values: unknown[] = [
      "plain",
      'quote " and \\ backslash',
      "tab\tnew line\n\u0000\u001f\u007f",
      "한글 and emoji 😀",
      "lone \ud800 surrogate \udc00",
      0,
      -0,
      1.5,
      -1e-7,
      1e21,
      123456789012,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      null,
      [],
      {},
      [1, undefined, () => 1, Symbol("s"), null, "x"],
      { z: 1, a: 2, 10: "ten", 2: "two", "01": "zero-one", "": "empty" },
      { kept: 1, gone: undefined, fn: () => 1, sym: Symbol("s"), last: [{ deep: [[{}]] }] },
      { toJSON: "not a function" },
      nullProto,
      {
        common: { identity: { external_id: "u1", email: "a@b.c" } },
        events: [
          {
            event_log_id: "8c2c6d5e-1111-5222-8333-444455556666",
            event_name: "df_purchase",
            event_datetime: "2024-01-01T00:00:00.000Z",
            event_properties: { df_order_id: "o1", df_total_purchase_amount: 1234.5, 이름: "값" },
            event_items: [{ sku: "a", qty: 2 }],
          },
        ],
      },
    ];
    for (const value of values) expect(text(jsonBytes(value))).toBe(stringified(value));
  });

  it("writes generated strings as JSON.stringify does (every code unit class)", () => {
    const random = seededRandom(7);
    const units = [0x0, 0x1f, 0x20, 0x22, 0x5c, 0x7e, 0x7f, 0xe9, 0xac00, 0xd800, 0xdc00, 0xffff];
    for (let n = 0; n < 2_000; n++) {
      let value = "";
      const length = Math.floor(random() * 12);
      for (let i = 0; i < length; i++) {
        const pick = random();
        value +=
          pick < 0.6
            ? String.fromCharCode(0x20 + Math.floor(random() * 95))
            : String.fromCharCode(units[Math.floor(random() * units.length)] as number);
      }
      const record = { [value]: value, list: [value] };
      expect(text(jsonBytes(record))).toBe(stringified(record));
    }
  });

  it("writes keys as JSON.stringify does when they come again: names sharing a slot, long, escaped, empty", () => {
    const random = seededRandom(11);
    // More names than the writer's table has slots: some share one and replace each other.
    const names = Array.from({ length: 600 }, (_, i) => `k${i}_${"x".repeat(i % 40)}`);
    names.push("", 'a\u0000"b\\', "x".repeat(200), "\u0001".repeat(60), "한글 키");
    for (let round = 0; round < 3; round++) {
      const record: Record<string, number> = {};
      for (const name of names) if (random() < 0.7) record[name] = round;
      const nested = { outer: record, list: [record, { "": 1 }] };
      expect(text(jsonBytes(nested))).toBe(stringified(nested));
    }
  });

  it("writes every kind of number as JSON.stringify does (integers by their digits)", () => {
    const numbers = [0, -0, 1, -1, 9, 10, 99, 100, 1000, 1976, 123456789, -123456789];
    numbers.push(2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, -(2 ** 53));
    numbers.push(0.1, -0.5, 1.5e-7, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.EPSILON);
    numbers.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const random = seededRandom(5);
    for (let i = 0; i < 2_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 12);
      const value = Math.floor(random() * magnitude) * (random() < 0.5 ? -1 : 1);
      numbers.push(value, value / 7);
    }
    for (const value of numbers) {
      expect(text(jsonBytes(value))).toBe(stringified(value));
      const record = { n: value, list: [value, "x"], last: value };
      expect(text(jsonBytes(record))).toBe(stringified(record));
    }
  });

  it("writes a key that comes again whole, whatever its length, and what follows it intact", () => {
    // A known key's bytes are copied four at a time: the bytes past its end must be written over.
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n <= 130; n++) {
        const record = { [`k${"y".repeat(n)}`]: 1, [`${"z".repeat(n)}`]: "", a: [n] };
        expect(text(jsonBytes(record))).toBe(stringified(record));
      }
    }
  });

  it("writes a body's own properties as a plain object's, as stringifyExactly does", () => {
    const body = new Body({ identity: { external_id: "u1" } }, [{ event_name: "x", n: 1 }]);
    expect(text(jsonBytes(body))).toBe(stringifyExactly(body));
    expect(stringifyExactly(body)).toBe(
      '{"common":{"identity":{"external_id":"u1"}},"events":[{"event_name":"x","n":1}]}',
    );
  });

  it("leaves to JSON.stringify what only it writes (undefined, then nothing is lost)", () => {
    const withToJson = { a: 1, toJSON: () => "x" };
    const array = Object.assign([1], { toJSON: () => "x" });
    class Other {
      readonly a = 1;
    }
    const cases: unknown[] = [
      { id: new ExactNumber("12345678901234567890") },
      { at: new Date(0) },
      { map: new Map() },
      { big: 1n },
      withToJson,
      array,
      new Other(),
      undefined,
      () => 1,
    ];
    for (const value of cases) expect(jsonBytes(value)).toBeUndefined();
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonBytes(deep)).toBeUndefined();
  });

  it("leaves everything to JSON.stringify while Object.prototype has what for…in would list", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(jsonBytes({ a: 1 })).toBeUndefined();
    } finally {
      delete proto.polluted;
    }
    expect(text(jsonBytes({ a: 1 }))).toBe('{"a":1}');
  });

  it("gives bytes of their own, not the writer's buffer", () => {
    const first = jsonBytes({ a: "first" }) as Uint8Array;
    jsonBytes({ b: "second, longer" });
    expect(text(first)).toBe('{"a":"first"}');
  });
});
