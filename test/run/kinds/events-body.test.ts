import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../bench/seeded-random.js";
import type { Identity } from "../../../src/api/dfinery.js";
import type { EventRecord } from "../../../src/api/events.js";
import { EventsBody } from "../../../src/run/kinds/events-body.js";
import { ExactNumber, stringifyExactly } from "../../../src/util/exact-number.js";
import { JsonBytes, jsonBytes, writeJson } from "../../../src/util/json-bytes.js";

const uuid = (n: number) => `00000000-0000-5000-8000-${String(n).padStart(12, "0")}`;
const record = (n: number, more: Partial<Record<keyof EventRecord, unknown>> = {}) =>
  ({
    event_log_id: uuid(n),
    event_name: "df_purchase",
    event_datetime: "2024-05-14T06:05:46.000Z",
    event_properties: { df_order_id: `o${n}`, df_total_purchase_amount: 1000 + n },
    ...more,
  }) as EventRecord;
const bodyOf = (identity: Identity, events: readonly unknown[]) =>
  new EventsBody(
    identity,
    events.map((unit) => ({ unit: unit as EventRecord, rows: [] })),
  );

/** The bytes the client sends: the body's own, else stringifyExactly's text (undici's Buffer.from). */
const sent = (body: EventsBody): Buffer => {
  const bytes = jsonBytes(body);
  return bytes === undefined ? Buffer.from(stringifyExactly(body)) : Buffer.from(bytes);
};

/** Its bytes are JSON.stringify's text of it, as UTF-8. */
const expectStringified = (body: EventsBody) => {
  const bytes = jsonBytes(body);
  expect(bytes).toBeDefined();
  expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(JSON.stringify(body)))).toBe(true);
};

describe("EventsBody", () => {
  it("writes JSON.stringify's bytes for records as the mapping makes them, items or not", () => {
    const items = [{ df_item_id: "a", df_quantity: 2, df_price: 1.5 }];
    const events = [record(1), record(2, { event_items: items }), record(3)];
    const body = bodyOf({ external_id: "u1", email: "a@b.c" }, events);
    expectStringified(body);
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({ common: { identity: { external_id: "u1", email: "a@b.c" } }, events }),
    );
  });

  it("writes strings as JSON.stringify does: non-ASCII, escapes, lone surrogates, controls", () => {
    const texts = [
      'quote " and \\',
      "tab\t\n\u0000\u001f\u007f",
      "한글 😀",
      "lone \ud800 \udc00",
      "",
    ];
    const random = seededRandom(3);
    const units = [0x0, 0x1f, 0x22, 0x5c, 0x7f, 0xe9, 0xac00, 0xd800, 0xdc00, 0xffff];
    for (let n = 0; n < 300; n++) {
      let text = "";
      for (let i = Math.floor(random() * 10); i > 0; i--) {
        text += String.fromCharCode(
          random() < 0.6
            ? 0x20 + Math.floor(random() * 95)
            : (units[Math.floor(random() * units.length)] as number),
        );
      }
      texts.push(text);
    }
    for (const text of texts) {
      const event = record(1, {
        event_log_id: text,
        event_name: text,
        event_datetime: text,
        event_properties: { [text]: text, list: [text] },
        event_items: [{ [text]: text }],
      });
      expectStringified(bodyOf({ external_id: text }, [event, record(2)]));
    }
  });

  it("writes numbers of every kind as JSON.stringify does", () => {
    const numbers = [0, -0, 7, -7, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, 1.5, -1e-7, 1e21];
    numbers.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324);
    const events = numbers.map((value, n) =>
      record(n, { event_properties: { value, list: [value, -value] } }),
    );
    expectStringified(bodyOf({ external_id: "u" }, events));
  });

  it("leaves out what JSON.stringify leaves out: undefined fields, functions, symbols", () => {
    const events = [
      record(1, { event_name: undefined }),
      record(2, { event_properties: undefined }),
      record(3, { event_items: undefined }),
      record(4, { event_properties: { a: undefined, b: () => 1, c: Symbol("c"), d: 1 } }),
      record(5, { event_log_id: () => "x" }),
      record(6, { event_items: [undefined, () => 1, 1] }),
    ];
    expectStringified(
      bodyOf({ external_id: "u1", email: undefined } as unknown as Identity, events),
    );
  });

  it("writes events of any other shape as plain data: stored, reordered, extra keys", () => {
    const { event_log_id, event_name, event_datetime, event_properties } = record(1);
    const reordered = { event_name, event_log_id, event_datetime, event_properties };
    const fewer = { event_log_id, event_name, event_datetime };
    const extra = { ...record(2), service_id: "s", nested: { deep: [1, "x", null, true] } };
    const stored = JSON.parse(JSON.stringify(record(3, { event_items: [{ a: 1 }] })));
    const nullProto = Object.assign(Object.create(null) as object, record(4));
    const others = [reordered, fewer, extra, stored, nullProto, null, "text", 12, [record(5)], {}];
    expectStringified(bodyOf({ external_id: "u1" }, [record(0), ...others, record(6)]));
  });

  it("leaves to stringifyExactly what only it writes: an ExactNumber, a toJSON", () => {
    const exact = record(1, { event_properties: { id: new ExactNumber("12345678901234567890") } });
    const body = bodyOf({ external_id: "u1" }, [record(0), exact]);
    expect(jsonBytes(body)).toBeUndefined();
    expect(sent(body).toString()).toContain('"id":12345678901234567890');
    const withToJson = { ...record(2), toJSON: () => "x" };
    const other = bodyOf({ external_id: "u1" }, [withToJson]);
    expect(jsonBytes(other)).toBeUndefined();
    expect(sent(other).toString()).toBe(JSON.stringify(other));
    const item = record(3, { event_items: [{ at: new Date(0) }] });
    expect(jsonBytes(bodyOf({ external_id: "u1" }, [item]))).toBeUndefined();
  });

  it("writes JSON.stringify's bytes for generated bodies, into a buffer that grows at every step", () => {
    // Keys of about 120-135 bytes as written (a slot of the key table holds 128: quotes, colon,
    // UTF-8 and escapes counted), of ASCII, two- and three-byte characters and escapes; 32-bit
    // integers' edges; records of the four keys, reordered, one missing, another before or after;
    // bodies past the shared buffer's 64 KiB and past the 1 MiB it keeps.
    const random = seededRandom(8);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
    const key = (): string => {
      if (random() < 0.4) return pick(["event_items", "a", "", "0", "12", "df_total", "toString"]);
      const unit = pick(["k", "é", "한", '"', "\n", "\ud800"]);
      const bytes = Buffer.byteLength(JSON.stringify(unit)) - 2;
      return unit.repeat(Math.floor((117 + int(15)) / bytes)) + "x".repeat(int(4));
    };
    const numbers = [0, -0, 9, 10, -10, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32];
    numbers.push(1.5, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const text = () =>
      pick(["", "u0", "한글 😀", 'q"\\', "\u0000\u007f", "\udc00", "x".repeat(int(300))]);
    const value = (depth: number): unknown => {
      const roll = random();
      if (roll < 0.3) return text();
      if (roll < 0.6) return random() < 0.7 ? pick(numbers) : int(2 ** 32) - 2 ** 31;
      if (roll < 0.65) return pick([true, false, null, undefined, () => 1]);
      if (depth > 2) return null;
      if (roll < 0.8) return Array.from({ length: int(4) }, () => value(depth + 1));
      return object(depth + 1);
    };
    const object = (depth: number): Record<string, unknown> => {
      const made: Record<string, unknown> = {};
      for (let n = int(5); n > 0; n--) made[key()] = value(depth);
      return made;
    };
    const event = (): unknown => {
      const roll = random();
      if (roll < 0.03) return value(2);
      const keys = ["event_log_id", "event_name", "event_datetime", "event_properties"];
      if (roll < 0.1) keys.reverse();
      if (roll > 0.92) keys.splice(int(4), 1);
      const made: Record<string, unknown> = random() < 0.05 ? { [key()]: value(1) } : {};
      for (const name of keys) made[name] = name === "event_properties" ? object(1) : text();
      if (random() < 0.3) made.event_items = [object(2), object(2)];
      if (random() < 0.2) made[key()] = value(1);
      return made;
    };
    let big = 0;
    for (let n = 0; n < 600; n++) {
      const count = n % 100 === 99 ? 2_000 + int(2_000) : int(10);
      const body = bodyOf(object(1) as Identity, Array.from({ length: count }, event));
      const expected = Buffer.from(JSON.stringify(body));
      if (expected.length > 1 << 20) big++;
      const bytes = jsonBytes(body);
      expect(bytes, `body ${n}`).toBeDefined();
      expect(Buffer.from(bytes as Uint8Array).equals(expected), `body ${n}`).toBe(true);
      const writer = new JsonBytes(1);
      writer.ascii("x".repeat(int(4))); // the body is not the first thing written
      const start = writer.length;
      expect(writeJson(writer, body)).toBe(true);
      const written = Buffer.from(writer.bytes.subarray(start, writer.length));
      expect(written.equals(expected), `body ${n}, written into a growing buffer`).toBe(true);
    }
    expect(big).toBeGreaterThan(0);
  });
});
