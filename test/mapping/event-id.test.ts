import { describe, expect, it } from "vitest";
import { UUID_PATTERN } from "../../src/api/events.js";
import { EVENT_ID_NAMESPACE, eventId, uuidV5 } from "../../src/mapping/event-id.js";

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
