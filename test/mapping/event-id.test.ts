import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UUID_PATTERN } from "../../src/api/events.js";
import {
  EVENT_ID_NAMESPACE,
  type EventIdParts,
  eventId,
  keptIdentity,
  uuidV5,
} from "../../src/mapping/event-id.js";
import { canonicalJson, canonicalKeys } from "../../src/util/canonical-json.js";
import { ExactNumber } from "../../src/util/exact-number.js";

const DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const URL_NS = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
const PARTS = {
  identity: { external_id: "u-1" },
  name: "df_purchase",
  datetime: "2024-05-14T06:05:46.363Z",
  properties: { df_order_id: "o-1", df_total_purchase_amount: 24000 },
  items: [{ df_item_id: "SKU-1", df_price: 12000 }],
};

describe("uuidV5", () => {
  it("gives the RFC 9562 example: www.example.com in the DNS namespace", () => {
    expect(uuidV5(DNS, "www.example.com")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("derives our namespace from its documented name", () => {
    expect(uuidV5(URL_NS, "dfinery-import/events")).toBe(EVENT_ID_NAMESPACE);
  });
});

describe("eventId", () => {
  it("is a version-5 UUID, the same for the same event in any key order", () => {
    const id = eventId(PARTS);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe("5");
    const reordered = {
      ...PARTS,
      properties: { df_total_purchase_amount: 24000, df_order_id: "o-1" },
      items: [{ df_price: 12000, df_item_id: "SKU-1" }],
    };
    expect(eventId(reordered)).toBe(id);
  });

  it.each([
    ["identity", { identity: { external_id: "u-2" } }],
    ["name", { name: "df_refund" }],
    ["datetime", { datetime: "2024-05-14T06:05:46.364Z" }],
    ["properties", { properties: { df_order_id: "o-2" } }],
    ["items", { items: undefined }],
  ])("changes with the event's %s", (_, change) => {
    expect(eventId({ ...PARTS, ...change })).not.toBe(eventId(PARTS));
  });
});

describe("eventId of a user's run of events (one kept identity)", () => {
  it("gives every event the id it has alone, whatever came between", () => {
    const user = { external_id: "u-1" };
    const other = { external_id: "u-2", email: "a@example.com" };
    keptIdentity(user);
    keptIdentity(other);
    const events: EventIdParts[] = [
      { ...PARTS, identity: user },
      { ...PARTS, identity: user, datetime: "2024-05-14T06:05:47.000Z" },
      { ...PARTS, identity: user, name: "df_refund" }, // same identity, another name
      { ...PARTS, identity: user, name: "df_refund", properties: { a: 1 } },
      { ...PARTS, identity: other },
      { ...PARTS, identity: user, items: undefined },
    ];
    const list = (p: EventIdParts) => [p.identity, p.name, p.datetime, p.properties, p.items];
    const alone = events.map((parts) => referenceId(canonicalJson(list(parts))));
    const named: string[] = [];
    for (const [i, parts] of events.entries()) {
      named.push(eventId(parts));
      if (i === 1) uuidV5(DNS, "www.example.com"); // the writer used for something else
    }
    expect(named).toEqual(alone);
    const last = events[5] as EventIdParts;
    expect(eventId(last, 2)).toBe(referenceId(canonicalJson([...list(last), 2])));
  });

  it("does not take an identity not kept, changed in place, for the one before", () => {
    const identity: Record<string, string> = { external_id: "u-1" };
    const first = eventId({ ...PARTS, identity });
    identity.external_id = "u-2";
    expect(eventId({ ...PARTS, identity })).not.toBe(first);
    expect(eventId({ ...PARTS, identity })).toBe(
      referenceId(canonicalJson(partsList({ ...PARTS, identity: { external_id: "u-2" } }))),
    );
  });
});

/** The ids as the previous version made them: node:crypto's SHA-1 of the canonical JSON text. */
function referenceId(name: string): string {
  const ns = Buffer.from(EVENT_ID_NAMESPACE.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.toString("hex", 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const partsList = (p: typeof PARTS) => [p.identity, p.name, p.datetime, p.properties, p.items];

describe("eventId, as the previous version made it", () => {
  it("keeps the id of an event it has always given", () => {
    expect(eventId(PARTS)).toBe("beadc22a-809f-5ab0-852b-36b679384336");
  });

  it.each([
    ["no items", { items: undefined }],
    ["no properties", { properties: {} }],
    ["non-ASCII and escaped text", { properties: { df_order_id: '주문 "1"\\\n🎉' } }],
    ["a 64-bit number", { properties: { big: new ExactNumber("12345678901234567890") } }],
    ["a lone surrogate", { identity: { external_id: "u\ud800" } }],
    ["many items", { items: Array.from({ length: 100 }, (_, i) => ({ df_item_id: `S${i}` })) }],
  ])("is the v5 UUID of the canonical JSON: %s", (_, change) => {
    const parts = { ...PARTS, ...change } as typeof PARTS;
    expect(eventId(parts)).toBe(referenceId(canonicalJson(partsList(parts))));
  });
});

describe("eventId with its properties' keys known", () => {
  it("is the id of the same parts without them, whatever keys the properties have", () => {
    const propertyKeys = canonicalKeys(["df_total_purchase_amount", "df_order_id", "x"]);
    for (const properties of [
      PARTS.properties,
      {},
      { x: true, df_order_id: "o1" },
      { df_order_id: "o1", extra: 1 },
    ]) {
      const parts = { ...PARTS, properties } as typeof PARTS;
      expect(eventId({ ...parts, propertyKeys })).toBe(eventId(parts));
      expect(eventId({ ...parts, propertyKeys })).toBe(
        referenceId(canonicalJson(partsList(parts))),
      );
    }
  });
});

describe("eventId of the n-th identical event", () => {
  it("names the content and n: distinct from the first, the same every time", () => {
    const second = eventId(PARTS, 2);
    expect(second).toBe(referenceId(canonicalJson([...partsList(PARTS), 2])));
    expect(second).not.toBe(eventId(PARTS));
    expect(eventId(PARTS, 3)).not.toBe(second);
    expect(eventId(PARTS, 2)).toBe(second);
    expect(eventId(PARTS, 1)).toBe(eventId(PARTS));
  });

  it("refuses an occurrence that is not a whole number from 1", () => {
    expect(() => eventId(PARTS, 0)).toThrow(RangeError);
    expect(() => eventId(PARTS, 1.5)).toThrow(RangeError);
  });
});
