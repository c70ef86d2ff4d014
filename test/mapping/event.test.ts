import { describe, expect, it } from "vitest";
import { ConfigError, rowFailure } from "../../src/errors.js";
import {
  applyEventMapping,
  draftSlot,
  mapEvent,
  toEventRecord,
  Unmapped,
} from "../../src/mapping/apply-event.js";
import { eventId } from "../../src/mapping/event-id.js";
import { type Group, ItemGroups } from "../../src/mapping/item-groups.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { EventRules, Mapping } from "../../src/mapping/types.js";

const ORDERS = `
identity: { external_id: user_id }
event:
  name: { column: type, values: { order: df_purchase, signup: df_sign_up } }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: order_id
  df_total_purchase_amount: { column: total, type: Double }
items:
  from: line_items
  properties:
    df_item_id: sku
    df_price: { column: price, type: Double }
    df_quantity: { column: qty, type: Long }
`;

type EventMapping = Mapping & { readonly event: EventRules };
const load = (text: string) => parseMapping(text, "events.yaml") as EventMapping;
const row = (cells: Record<string, unknown>, line = 1) => ({ kind: "row" as const, line, cells });

function problems(text: string): string[] {
  try {
    parseMapping(text, "events.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("an order export (NDJSON, nested line items)", () => {
  const mapping = load(ORDERS);
  const order = {
    user_id: "u-1",
    type: "order",
    created_at: 1715666746363,
    order_id: "o-1",
    total: "24000",
    line_items: [
      { sku: "SKU-1", price: 12000, qty: 2 },
      { sku: "SKU-2", price: "500.5", qty: "1" },
    ],
  };

  it("fills a draft slot again for each record: each event as a draft of its own gives it", () => {
    const slot = draftSlot();
    const other = { ...order, user_id: "u-2", order_id: "o-2", line_items: [] };
    const bad = { ...order, created_at: "not a time" };
    for (const cells of [order, other, bad, order]) {
      const own = applyEventMapping(mapping, row(cells), "ndjson");
      const filled = mapEvent(mapping, row(cells), "ndjson", slot);
      if (!own.ok) {
        expect(filled).toBeInstanceOf(Unmapped);
        continue;
      }
      expect(filled).toBe(slot);
      expect(toEventRecord(filled as typeof own.draft)).toEqual(toEventRecord(own.draft));
    }
  });

  it("maps one record to one event with its items and a name-based id", () => {
    const result = applyEventMapping(mapping, row(order), "ndjson");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const event = toEventRecord(result.draft);
    const items = [
      { df_item_id: "SKU-1", df_price: 12000, df_quantity: 2 },
      { df_item_id: "SKU-2", df_price: 500.5, df_quantity: 1 },
    ];
    const properties = { df_order_id: "o-1", df_total_purchase_amount: 24000 };
    expect(result.draft.identity).toEqual({ external_id: "u-1" });
    expect(event).toEqual({
      event_log_id: eventId({
        identity: { external_id: "u-1" },
        name: "df_purchase",
        datetime: "2024-05-14T06:05:46.363Z",
        properties,
        items,
      }),
      event_name: "df_purchase",
      event_datetime: "2024-05-14T06:05:46.363Z",
      event_properties: properties,
      event_items: items,
    });
  });

  it("fails the record naming every bad cell: event fields and items alike", () => {
    const bad = {
      ...order,
      type: "refund",
      created_at: "yesterday",
      line_items: [{ sku: "A", price: "free", qty: 1 }],
    };
    const result = applyEventMapping(mapping, row(bad), "ndjson");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.errors?.map((e) => [e.field, e.code])).toEqual([
      ["event.name", "UNMAPPED_VALUE"],
      ["event.datetime", "INVALID_VALUE"],
      ["items[0].df_price", "INVALID_VALUE"],
    ]);
  });

  it("gives a user's run of events one identity object, and the next user another", () => {
    const draft = (cells: Record<string, unknown>) => {
      const result = applyEventMapping(mapping, row(cells), "ndjson");
      if (!result.ok) throw new Error(result.failure.message);
      return result.draft;
    };
    const first = draft(order);
    const second = draft({ ...order, order_id: "o-2" });
    expect(second.identity).toBe(first.identity);
    expect(second.identity).toEqual({ external_id: "u-1" });
    const next = draft({ ...order, user_id: "u-2" });
    expect(next.identity).toEqual({ external_id: "u-2" });
    expect(draft({ ...order, order_id: "o-3" }).identity).toEqual({ external_id: "u-1" });
    expect(toEventRecord(second).event_log_id).toBe(
      toEventRecord({ ...second, identity: { external_id: "u-1" } }).event_log_id,
    );
  });

  it("shares an identity of several fields only while every field is the same, in the rules' order", () => {
    const two = load(
      ORDERS.replace(
        "identity: { external_id: user_id }",
        "identity: { external_id: user_id, email: mail }",
      ),
    );
    const draft = (cells: Record<string, unknown>) => {
      const result = applyEventMapping(two, row(cells), "ndjson");
      if (!result.ok) throw new Error(result.failure.message);
      return result.draft;
    };
    const first = draft({ ...order, mail: "a@x.kr" });
    expect(draft({ ...order, mail: "a@x.kr", order_id: "o-2" }).identity).toBe(first.identity);
    // The second field differs: a new object, the first field's value copied before it.
    const other = draft({ ...order, mail: "b@x.kr" });
    expect(other.identity).not.toBe(first.identity);
    expect(JSON.stringify(other.identity)).toBe('{"external_id":"u-1","email":"b@x.kr"}');
    expect(draft({ ...order, mail: "b@x.kr", order_id: "o-3" }).identity).toBe(other.identity);
    // A field the row leaves empty is no field of its identity, not the event before's.
    const { user_id: _, ...noUser } = order;
    expect(JSON.stringify(draft({ ...noUser, mail: "b@x.kr" }).identity)).toBe(
      '{"email":"b@x.kr"}',
    );
    expect(JSON.stringify(draft({ ...order, mail: "" }).identity)).toBe('{"external_id":"u-1"}');
  });

  it("sends no event_items for a record without line items", () => {
    const result = applyEventMapping(mapping, row({ ...order, line_items: [] }), "ndjson");
    expect(result.ok && toEventRecord(result.draft).event_items).toBeUndefined();
  });

  it("uses the id column when the mapping names one, and refuses one that is not a UUID", () => {
    const withId = load(`${ORDERS}\n`.replace("  datetime:", "  id: event_uuid\n  datetime:"));
    const id = "0b9f1c5e-6a47-4f7e-9d3a-2f1e8c7b6a50";
    const good = applyEventMapping(withId, row({ ...order, event_uuid: id }), "ndjson");
    expect(good.ok && toEventRecord(good.draft).event_log_id).toBe(id);
    const bad = applyEventMapping(withId, row({ ...order, event_uuid: "42" }), "ndjson");
    expect(bad.ok || bad.failure.message).toContain('"42" is not a UUID');
  });
});

describe("a CSV with grouped item rows", () => {
  const mapping = load(`
identity: { external_id: user_id }
event: { name: { value: df_purchase }, datetime: created_at }
properties: { df_order_id: order_id }
items:
  group_by: order_id
  properties: { df_item_id: sku, df_quantity: { column: qty, type: Long } }
`);
  const csv = (user: string, order: string, sku: string, qty = "1") => ({
    user_id: user,
    order_id: order,
    created_at: "2024-05-14T06:05:46Z",
    sku,
    qty,
  });
  const feed = (rows: Record<string, string>[]) => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    const out: Group[] = [];
    rows.forEach((cells, i) => {
      const g = groups.push(
        cells.order_id,
        { line: i + 2, row: cells },
        applyEventMapping(mapping, row(cells, i + 2), "csv"),
      );
      if (g) out.push(g);
    });
    const last = groups.flush();
    if (last) out.push(last);
    return out;
  };

  it("makes consecutive rows of one order one event, one item per row", () => {
    const groups = feed([csv("u1", "o1", "A", "2"), csv("u1", "o1", "B"), csv("u2", "o2", "C")]);
    expect(groups.map((g) => g.ok && [g.rows.map((r) => r.line), g.draft.items])).toEqual([
      [
        [2, 3],
        [
          { df_item_id: "A", df_quantity: 2 },
          { df_item_id: "B", df_quantity: 1 },
        ],
      ],
      [[4], [{ df_item_id: "C", df_quantity: 1 }]],
    ]);
  });

  it("fails the whole group when a row's event fields disagree with the first row's", () => {
    const [group] = feed([csv("u1", "o1", "A"), csv("u9", "o1", "B")]);
    expect(group?.ok).toBe(false);
    if (group === undefined || group.ok) return;
    expect(group.rows.map((r) => [r.line, r.failure.code])).toEqual([
      [2, "GROUP_FAILED"],
      [3, "GROUP_MISMATCH"],
    ]);
    expect(group.rows[0]?.failure.message).toMatch(/order_id = "o1": line 3 of the same event/);
  });

  it("fails the whole group when one of its rows cannot be mapped", () => {
    const [group] = feed([csv("u1", "o1", "A"), csv("u1", "o1", "B", "many")]);
    expect(group?.ok === false && group.rows.map((r) => r.failure.code)).toEqual([
      "GROUP_FAILED",
      "INVALID_VALUE",
    ]);
  });
});

describe("grouped item rows next to a record that cannot be read", () => {
  const mapping = load(`
identity: { external_id: user_id }
event: { name: { value: df_purchase }, datetime: created_at }
properties: { df_order_id: order_id }
items:
  group_by: order_id
  properties: { df_item_id: sku }
`);
  const csv = (user: string, order: string, sku: string) => ({
    user_id: user,
    order_id: order,
    created_at: "2024-05-14T06:05:46Z",
    sku,
  });
  const feed = (rows: (Record<string, string> | string)[]) => {
    const groups = new ItemGroups("order_id", { maxRows: 100 });
    const out: Group[] = [];
    rows.forEach((cells, i) => {
      const line = i + 2;
      if (typeof cells === "string") {
        const failure = rowFailure("input", "CSV_COLUMN_COUNT", "expected 4 cells, found 5");
        const g = groups.pushUnreadable({ line, row: cells }, failure);
        if (g) out.push(g);
        return;
      }
      const result = applyEventMapping(mapping, row(cells, line), "csv");
      const g = groups.push(cells.order_id, { line, row: cells }, result);
      if (g) out.push(g);
    });
    const last = groups.flush();
    if (last) out.push(last);
    return out.map((g) => (g.ok ? g.rows.map((r) => r.line) : g.rows.map((r) => r.failure.code)));
  };

  it("inside a group: the whole event fails (never an order without one of its items)", () => {
    const bad = "u1,o1,2024-05-14T06:05:46Z,B,extra";
    expect(feed([csv("u1", "o1", "A"), bad, csv("u1", "o1", "C"), csv("u2", "o2", "D")])).toEqual([
      ["GROUP_FAILED", "CSV_COLUMN_COUNT", "GROUP_FAILED"],
      [5],
    ]);
  });

  it("between two groups, or first: each event it may have belonged to fails", () => {
    const bad = "u?,o?,2024-05-14T06:05:46Z,B,extra";
    expect(feed([csv("u1", "o1", "A"), bad, csv("u2", "o2", "C"), csv("u3", "o3", "D")])).toEqual([
      ["GROUP_FAILED", "CSV_COLUMN_COUNT"],
      ["GROUP_FAILED"],
      [5],
    ]);
    expect(feed([bad, csv("u2", "o2", "C"), csv("u3", "o3", "D")])).toEqual([
      ["CSV_COLUMN_COUNT"],
      ["GROUP_FAILED"],
      [4],
    ]);
  });

  it("makes a row with an empty group value an event of its own", () => {
    const signups = [csv("u1", "", "-"), csv("u2", "", "-"), csv("u3", " ", "-")];
    expect(feed(signups)).toEqual([[2], [3], [4]]);
  });
});

describe("loading an event mapping", () => {
  it("takes event properties and item properties by their own standard names", () => {
    expect(problems(ORDERS)).toEqual([]);
    expect(problems(ORDERS.replace("df_order_id:", "df_order:"))).toEqual([
      expect.stringMatching(
        /^properties\.df_order: names starting with df_ are DFINERY's standard event properties/,
      ),
    ]);
    expect(problems(ORDERS.replace("df_item_id:", "df_sku:"))).toEqual([
      expect.stringMatching(/^items\.properties\.df_sku: .*standard item properties/),
    ]);
  });

  it("allows an event without properties; a profile mapping still needs one", () => {
    const bare =
      "identity: { email: e }\nevent: { name: { value: df_login }, datetime: t }\nproperties: {}\n";
    expect(problems(bare)).toEqual([]);
    expect(problems("identity: { email: e }\nproperties: {}\n")).toEqual([
      "properties: map at least one property: a profile update without properties changes nothing",
    ]);
  });

  it("reads properties left out as properties: {}, for an event and a profile alike", () => {
    const event = "identity: { email: e }\nevent: { name: { value: df_login }, datetime: t }\n";
    expect(problems(event)).toEqual([]);
    expect(problems(`${event}properties: {}\n`)).toEqual(problems(event));
    expect(problems("identity: { email: e }\n")).toEqual(
      problems("identity: { email: e }\nproperties: {}\n"),
    );
  });

  it("refuses items without from or group_by, with both, and without an event", () => {
    const base =
      "identity: { email: e }\nevent: { name: { value: df_purchase }, datetime: t }\nproperties: {}\n";
    expect(problems(`${base}items: { properties: { df_item_id: sku } }\n`)).toEqual([
      "items: needs from (an NDJSON array path), group_by (a CSV column) or expr (an expression giving a list)",
    ]);
    expect(
      problems(`${base}items: { from: a, group_by: b, properties: { df_item_id: sku } }\n`),
    ).toEqual([
      "items: from and group_by are mutually exclusive: from (an NDJSON array path), group_by (a CSV column) or expr (an expression giving a list)",
    ]);
    expect(
      problems(
        "identity: { email: e }\nproperties: { x: y }\nitems: { from: a, properties: { df_item_id: s } }\n",
      ),
    ).toEqual(["items: items belong to events: add an event section"]);
  });

  it("names a bad event section's keys", () => {
    expect(problems(ORDERS.replace("  datetime:", "  when:"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^event\.when: /)]),
    );
  });
});

describe("an item's values with what its row decides", () => {
  it("reads a per-row phone country in the row, not in the item's record", () => {
    const mapping = load(`source:
  format: ndjson
  country: { column: buyer.country, values: { 한국: KR, 미국: US } }
identity: { external_id: user_id }
event:
  name: { value: df_purchase }
  datetime: { column: created_at, format: epoch_ms }
items:
  from: lines
  properties:
    df_item_id: sku
    seller_phone: { column: seller.phone, transform: [phone] }
`);
    const cells = (country: string) => ({
      user_id: "u1",
      created_at: 1_715_666_400_000,
      buyer: { country },
      lines: [{ sku: "S1", seller: { phone: "617.253.1042" } }, { sku: "S2" }],
    });
    const us = applyEventMapping(mapping, row(cells("미국")), "ndjson");
    expect(us.ok && us.draft.items).toEqual([
      { df_item_id: "S1", seller_phone: "16172531042" },
      { df_item_id: "S2" },
    ]);
    const kr = applyEventMapping(mapping, row(cells("한국")), "ndjson");
    expect(kr.ok ? kr.draft : kr.failure.message).toBe(
      'column "seller.phone": "617.253.1042" is not a valid phone number of KR, the country assumed: written without +country code, a KR number starts with 0 (a number of another country needs its +country code)',
    );
  });
});
