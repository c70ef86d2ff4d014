import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_PATH } from "../../src/api/events.js";
import {
  catalogProblems,
  type Emulator,
  type EmulatorInit,
  type ExtendedCatalog,
  startEmulator,
} from "../../src/emulator/index.js";
import { DATETIME, post, readLog, withProperties } from "./helpers.js";

const IDENTITY = { external_id: "u-1" };
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const purchase = (n: number, extra: Record<string, unknown> = {}) => ({
  event_log_id: uuid(n),
  event_name: "df_purchase",
  event_datetime: DATETIME,
  event_properties: { df_order_id: `o-${n}`, df_total_purchase_amount: 24000 },
  event_items: [{ df_item_id: "SKU-1", df_price: 12000, df_quantity: 2 }],
  ...extra,
});
const body = (events: unknown[], identity: unknown = IDENTITY) => ({
  common: { identity },
  events,
});
const CATALOG: ExtendedCatalog = {
  profile: { points: "Long" },
  events: {
    df_purchase: {
      properties: { df_order_id: "String", df_total_purchase_amount: "Double" },
      items: { df_item_id: "String", df_price: "Double", df_quantity: "Long" },
    },
    df_sign_up: { properties: { df_sign_channel: "String" } },
  },
};

const running: Emulator[] = [];
async function start(init: EmulatorInit = {}): Promise<Emulator> {
  const emulator = await startEmulator({ limit: null, catalog: CATALOG, ...init });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
const send = (e: Emulator, b: unknown) => post(e.url, { path: EVENTS_PATH, body: b });

describe("POST /api/v1/events", () => {
  it("accepts a user's events and stores each with the request's identity", async () => {
    const e = await start({ now: () => 1_700_000_000_000 });
    const reply = await send(e, body([purchase(1), purchase(2, { event_items: undefined })]));
    expect(reply.body).toEqual({ status: true, code: "20000", message: "OK", data: true });
    expect(e.store.eventCount()).toBe(2);
    expect(e.store.events()).toEqual([
      {
        endpoint: EVENTS_PATH,
        identity: IDENTITY,
        event: purchase(1),
        receivedAt: 1_700_000_000_000,
      },
      {
        endpoint: EVENTS_PATH,
        identity: IDENTITY,
        event: { ...purchase(2), event_items: undefined },
        receivedAt: 1_700_000_000_000,
      },
    ]);
  });

  it.each([
    [{ events: [purchase(1)] }, "common must be an object with identity"],
    [body([purchase(1)], {}), "common.identity needs a non-empty"],
    [body([purchase(1)], { user_id: "u" }), "common.identity.user_id is not an identity field"],
    [{ ...body([purchase(1)]), user: 1 }, "unknown field user"],
    [body([]), "events must be a non-empty array"],
  ])("refuses a body without a proper identity or events (%#)", async (b, message) => {
    const e = await start();
    const reply = await send(e, b);
    expect(reply.body.code).toBe("40001");
    expect(reply.body.message).toContain(message);
    expect(e.store.eventCount()).toBe(0);
  });

  it("takes 100 events and answers 40402 for 101", async () => {
    const e = await start();
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => purchase(i, { event_items: undefined }));
    expect((await send(e, body(many(100)))).body.code).toBe("20000");
    const over = await send(e, body(many(101)));
    expect(over.body).toMatchObject({ status: false, code: "40402" });
    expect(over.body.message).toBe("TOO_MANY_EVENTS: 101 events, over 100 per request");
    expect(e.store.eventCount()).toBe(100);
  });

  it("takes 100 items over all events and answers 40402 for 101", async () => {
    const e = await start();
    const items = (n: number) => Array.from({ length: n }, () => ({ df_item_id: "SKU" }));
    const split = (a: number, b: number) =>
      body([purchase(1, { event_items: items(a) }), purchase(2, { event_items: items(b) })]);
    expect((await send(e, split(60, 40))).body.code).toBe("20000");
    const over = await send(e, split(60, 41));
    expect(over.body.code).toBe("40402");
    expect(over.body.message).toContain("101 event items, over 100 per request");
  });

  it.each([
    [{ event_log_id: "42" }, "event_log_id must be a UUID"],
    [{ event_name: undefined }, "event_name is required"],
    [{ event_name: "df_unknown" }, "event df_unknown is not registered"],
    [{ event_datetime: "2024-02-30T00:00:00Z" }, "event_datetime must be an ISO-8601 UTC"],
    [{ event_datetime: "2024-05-14T06:05:46+09:00" }, "event_datetime must be an ISO-8601 UTC"],
    [{ event_properties: { df_keyword: "x" } }, "property df_keyword is not registered"],
    [
      { event_properties: { df_total_purchase_amount: "24000" } },
      "property df_total_purchase_amount must be of type Double",
    ],
    [{ event_items: [{ df_quantity: 1.5 }] }, "event_items[0]: item property df_quantity must be"],
    [{ event_items: [{ color: "red" }] }, "event_items[0]: item property color is not registered"],
    [{ event_items: {} }, "event_items must be an array"],
    [{ user: "x" }, "unknown field user"],
  ])("refuses the whole request when one event is invalid: %j", async (change, message) => {
    const e = await start();
    const reply = await send(e, body([purchase(1), purchase(2, change), purchase(3)]));
    expect(reply.body.code).toBe("40001");
    expect(reply.body.message).toContain(`events[1]: ${message}`);
    expect(e.store.eventCount()).toBe(0);
  });

  it("accepts any event name and property without an events catalog", async () => {
    const e = await start({ catalog: { points: "Long" } });
    const custom = purchase(1, { event_name: "my_event", event_properties: { any: [1, 2] } });
    expect((await send(e, body([custom]))).body.code).toBe("20000");
    const profile = await post(e.url, { body: withProperties({ points: "x" }) });
    expect(profile.body.message).toContain("property points must be of type Long");
  });

  it("keeps the standard event and item property types without an events catalog", async () => {
    const e = await start({ catalog: { points: "Long" } });
    const price = purchase(1, { event_items: [{ df_price: "12,000" }] });
    const reply = await send(e, body([price]));
    expect(reply.body.code).toBe("40001");
    expect(reply.body.message).toContain(
      "events[0]: event_items[0]: item property df_price must be of type Double",
    );
    const amount = purchase(2, { event_properties: { df_total_purchase_amount: "many" } });
    expect((await send(e, body([amount]))).body.message).toContain(
      "events[0]: property df_total_purchase_amount must be of type Double",
    );
    expect(e.store.eventCount()).toBe(0);
  });

  it("keeps profile rules from the extended catalog's profile part", async () => {
    const e = await start();
    expect((await post(e.url, { body: withProperties({ points: 3 }) })).body.code).toBe("20000");
    const refused = await post(e.url, { body: withProperties({ other: 3 }) });
    expect(refused.body.message).toContain("property other is not registered");
  });

  it("stores a repeated event_log_id again and counts it as a duplicate", async () => {
    const e = await start();
    await send(e, body([purchase(1)]));
    await send(e, body([purchase(1), purchase(2)]));
    expect(e.store.eventCount()).toBe(3);
    expect(e.store.duplicateEvents()).toBe(1);
  });

  it("counts events against their own limit, apart from the profile limit", async () => {
    // On the emulator's clock, fixed: three requests on the real one could straddle a second.
    const e = await start({
      now: () => Date.UTC(2024, 4, 14, 6, 0, 0, 500),
      limit: { count: 1, windowMs: 60_000 },
      eventLimit: { count: 2, windowMs: 1_000 },
    });
    expect((await post(e.url, { body: withProperties({}) })).body.code).toBe("20000");
    const first = await send(e, body([purchase(1)]));
    expect(first.headers["x-rate-limit-limit"]).toBe("1s");
    expect(first.headers["x-rate-limit-remaining"]).toBe("1");
    expect((await send(e, body([purchase(2)]))).body.code).toBe("20000");
    expect((await send(e, body([purchase(3)]))).status).toBe(429);
    const profile = await post(e.url, { body: withProperties({}) });
    expect(profile.status).toBe(429);
    expect(profile.headers["x-rate-limit-limit"]).toBe("1m");
  });
});

describe("the event log", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-events-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes one line per accepted event", async () => {
    const logFile = join(dir, "events.ndjson");
    const e = await start({ logFile, now: () => 5 });
    await send(e, body([purchase(1), purchase(2)]));
    await send(e, body([purchase(3, { event_name: "nope" })]));
    await e.close();
    expect(await readLog(logFile)).toEqual([
      { endpoint: EVENTS_PATH, identity: IDENTITY, event: purchase(1), receivedAt: 5 },
      { endpoint: EVENTS_PATH, identity: IDENTITY, event: purchase(2), receivedAt: 5 },
    ]);
  });
});

describe("catalogProblems, extended form", () => {
  it("accepts the extended form", () => {
    expect(catalogProblems(CATALOG)).toEqual([]);
  });

  it("names each problem in the events part", () => {
    expect(
      catalogProblems({
        events: {
          df_purchase: { properties: { df_total_purchase_amount: "Long" }, items: { n: "Int" } },
          bad: 3,
          other: { props: {} },
        },
        extra: {},
      }),
    ).toEqual([
      "unknown catalog section extra (profile, events)",
      "event df_purchase property df_total_purchase_amount is a standard property of type Double, not Long",
      expect.stringMatching(/^event df_purchase item property n has unknown type "Int"/),
      "event bad must be an object with properties and items",
      "event other: unknown key props",
    ]);
  });
});
