/**
 * What --state remembers of events alone: event ids across overlapping files, CSV item groups,
 * identical events and --keep-events. What it does for every kind:
 * state.test.ts, resume.test.ts and still-failing.test.ts.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/emulator/store.js";
import { StateStore } from "../../src/state/store.js";
import {
  CATALOG,
  flags,
  GROUPED_MAPPING,
  importEvents,
  ORDERS_MAPPING,
  ordersNdjson,
  T0,
} from "./event-fixtures.js";
import { emulatorPerTest, readJson, runCli, tempDir, write } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";
import { history } from "./state-runs.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

/** Lines `from` to `to` (0-based, end excluded) of an NDJSON text. */
const slice = (text: string, from: number, to: number) =>
  `${text.split("\n").slice(from, to).join("\n")}\n`;

/** The df_order_id of each order the emulator holds, or the event time of a sign-up. */
const sent = (store: { events(): readonly StoredEvent[] }) =>
  store
    .events()
    .map(({ event }) => String(event.event_properties?.df_order_id ?? event.event_datetime))
    .sort();

const _balances = (
  r: { [k in "rows" | "accepted" | "deadLettered" | "unchanged" | "notAttempted"]: number },
) => r.rows === r.accepted + r.deadLettered + r.unchanged + r.notAttempted;

describe("import-events --state", () => {
  it("an overlapping second night sends only the events not yet accepted", async () => {
    const dir = tempDir();
    const all = ordersNdjson(300, 20);
    const state = ["--state", join(dir, "state.db")];
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const night1 = write(dir, "night1.ndjson", slice(all, 0, 200));
    const first = await emulator({ catalog: CATALOG });
    const one = await importEvents([night1, "--map", map, ...flags(dir, first.url, state)]);
    expect(one.code).toBe(0);
    expect(first.store.eventCount()).toBe(200);
    const ids1 = new Set(first.store.events().map((s) => s.event.event_log_id));

    // Night 2 repeats night 1's last 100 events and adds 100 new ones.
    const night2 = write(dir, "night2.ndjson", slice(all, 100, 300));
    const second = await emulator({ catalog: CATALOG });
    const two = await importEvents([night2, "--map", map, ...flags(dir, second.url, state)]);
    expect(two.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 200,
      accepted: 100,
      unchanged: 100,
      deadLettered: 0,
      notAttempted: 0,
    });
    expect(two.stdout).toMatch(/100 unchanged/);
    expect(second.store.eventCount()).toBe(100);
    expect(second.store.events().some((s) => ids1.has(s.event.event_log_id))).toBe(false);
    const fresh = await emulator({ catalog: CATALOG });
    const newOnly = write(dir, "new.ndjson", slice(all, 200, 300));
    expect((await importEvents([newOnly, "--map", map, ...flags(dir, fresh.url)])).code).toBe(0);
    expect(sent(second.store)).toEqual(sent(fresh.store)); // exactly the 100 new events

    // A dry run over night 2 counts every event as known now, and writes nothing.
    const runsBefore = history(dir).length;
    const before = statSync(join(dir, "state.db")).mtimeMs;
    const dry = await importEvents([
      night2,
      "--map",
      map,
      "--dry-run",
      ...flags(dir, "http://127.0.0.1:9", state),
    ]);
    expect(dry.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 200,
      unchanged: 200,
      accepted: 0,
    });
    expect(history(dir)).toHaveLength(runsBefore);
    expect(statSync(join(dir, "state.db")).mtimeMs).toBe(before);

    // --full sends every event again (and records them).
    const third = await emulator({ catalog: CATALOG });
    const full = await importEvents([
      night2,
      "--map",
      map,
      "--full",
      ...flags(dir, third.url, state),
    ]);
    expect(full.code).toBe(0);
    expect(third.store.eventCount()).toBe(200);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 200,
      accepted: 200,
      unchanged: 0,
    });
    const status = await runCli(["status", ...state], {}, undefined, "import-events");
    expect(status.stdout).toContain("events known: 300 (of import-events)");
  });

  it("CSV grouped rows: a known order's rows are unchanged together, a new order's sent", async () => {
    const dir = tempDir();
    const map = write(dir, "events.yaml", GROUPED_MAPPING);
    const header = "user_id,order_id,created_at,sku,qty";
    const o1 = ["u1,o1,2024-05-14T06:00:00Z,A,1", "u1,o1,2024-05-14T06:00:00Z,B,2"];
    const o2 = ["u2,o2,2024-05-14T06:01:00Z,C,1"];
    const o3 = ["u1,o3,2024-05-14T06:02:00Z,D,1", "u1,o3,2024-05-14T06:02:00Z,E,3"];
    const state = ["--state", join(dir, "state.db")];
    const first = await emulator({ catalog: CATALOG });
    const night1 = write(dir, "n1.csv", `${[header, ...o1, ...o2].join("\n")}\n`);
    expect((await importEvents([night1, "--map", map, ...flags(dir, first.url, state)])).code).toBe(
      0,
    );
    expect(first.store.eventCount()).toBe(2);

    const second = await emulator({ catalog: CATALOG });
    const night2 = write(dir, "n2.csv", `${[header, ...o1, ...o3].join("\n")}\n`);
    expect(
      (await importEvents([night2, "--map", map, ...flags(dir, second.url, state)])).code,
    ).toBe(0);
    expect(second.store.events().map((s) => s.event)).toEqual([
      expect.objectContaining({
        event_properties: { df_order_id: "o3" },
        event_items: [
          { df_item_id: "D", df_quantity: 1 },
          { df_item_id: "E", df_quantity: 3 },
        ],
      }),
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 4,
      accepted: 2,
      unchanged: 2,
    });
  });

  it("resumes a run the API stopped with identical events: the second keeps its own id", async () => {
    // u1 signs up twice at the same instant: two identical events, ids of occurrence 1 and 2.
    const signup = (user: string, at: number) =>
      JSON.stringify({ user_id: user, type: "signup", created_at: T0 + at });
    const text = `${[signup("u1", 0), signup("u2", 1), signup("u1", 0)].join("\n")}\n`;
    const dir = tempDir();
    const input = write(dir, "signups.ndjson", text);
    // Sign-ups only: a mapping that reads no order paths (none of the records has them).
    const signups = `identity: { external_id: user_id }
event:
  name: { column: type, values: { signup: df_sign_up } }
  datetime: { column: created_at, format: epoch_ms }
properties: {}
`;
    const map = write(dir, "events.yaml", signups);
    const state = ["--state", join(dir, "state.db"), "--concurrency", "1", "--batch-wait", "0ms"];
    // The first request is accepted, the second refused as a bad token: the run stops, resumable.
    const api = await hostile((n, _req, res) =>
      answer(res, n === 0 ? 200 : 401, n === 0 ? "20000" : "40201"),
    );
    const stopped = await importEvents([input, "--map", map, ...flags(dir, api.url, state)]);
    expect(stopped.code).toBe(3);
    expect(api.requests).toHaveLength(2);
    const first = (api.requests[0] as { events: { event_log_id: string }[] }).events[0];

    const e = await emulator({ catalog: CATALOG });
    const resumed = await importEvents([
      input,
      "--map",
      map,
      "--resume",
      ...flags(dir, e.url, state),
    ]);
    expect(resumed.code).toBe(0);
    const ids = e.store.events().map((s) => s.event.event_log_id);
    expect(ids).toHaveLength(2); // u2's, and u1's second sign-up, not taken for the first
    expect(ids).not.toContain(first?.event_log_id);
    expect(new Set(ids).size).toBe(2);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      accepted: 3,
      unchanged: 0,
      notAttempted: 0,
    });
  });

  it("resumes a CSV of grouped item rows: an order's rows end together, each order sent once", async () => {
    const dir = tempDir();
    const map = write(dir, "events.yaml", GROUPED_MAPPING);
    const csv = [
      "user_id,order_id,created_at,sku,qty",
      "u1,o1,2024-05-14T06:00:00Z,A,1",
      "u1,o1,2024-05-14T06:00:00Z,B,2",
      "u2,o2,2024-05-14T06:01:00Z,C,1",
      "u3,o3,2024-05-14T06:02:00Z,D,1",
      "u3,o3,2024-05-14T06:02:00Z,E,3",
    ].join("\n");
    const input = write(dir, "orders.csv", `${csv}\n`);
    const state = ["--state", join(dir, "state.db"), "--concurrency", "1", "--batch-wait", "0ms"];
    // o1 is accepted, any other order refused as a bad token: the run stops there.
    const api = await hostile((_n, _req, res, body) =>
      body.includes('"o1"') ? answer(res, 200, "20000") : answer(res, 401, "40201"),
    );
    expect((await importEvents([input, "--map", map, ...flags(dir, api.url, state)])).code).toBe(3);
    const first = readJson(join(dir, "report.json"));
    const sentFirst = api.requests.map((r) => JSON.stringify(r));
    const o1Accepted = sentFirst.some((r) => r.includes('"o1"'));
    // Reading stops with the run: the rows read are accepted (o1's two) or not attempted.
    expect(first).toMatchObject({ accepted: o1Accepted ? 2 : 0, deadLettered: 0, unchanged: 0 });
    expect(first.accepted + first.notAttempted).toBe(first.rows);

    const e = await emulator({ catalog: CATALOG });
    const resumed = await importEvents([
      input,
      "--map",
      map,
      "--resume",
      ...flags(dir, e.url, state),
    ]);
    expect(resumed.code).toBe(0);
    const orders = e.store
      .events()
      .map((s) => s.event)
      .sort((a, b) =>
        String(a.event_properties.df_order_id).localeCompare(
          String(b.event_properties.df_order_id),
        ),
      );
    expect(orders.map((o) => o.event_properties.df_order_id)).toEqual(
      o1Accepted ? ["o2", "o3"] : ["o1", "o2", "o3"],
    );
    expect(orders.at(-1)?.event_items).toEqual([
      { df_item_id: "D", df_quantity: 1 },
      { df_item_id: "E", df_quantity: 3 },
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 5,
      unchanged: 0,
      notAttempted: 0,
    });
  });

  it("--keep-events forgets events accepted longer ago than its window, never a backfill just accepted; read again, they are sent again with the same id", async () => {
    const dir = tempDir();
    const statePath = join(dir, "state.db");
    const state = ["--state", statePath];
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const day = 86_400_000;
    const now = Date.now();
    const order = (id: string, at: number) =>
      JSON.stringify({
        ...{ user_id: "u1", type: "order", created_at: at, order_id: id, total: 1000 },
        line_items: [], // every path the mapping reads is in the file (the NDJSON path check)
      });
    const file = write(
      dir,
      "orders.ndjson",
      `${order("old", now - 60 * day)}\n${order("new", now - day)}\n`,
    );
    const usage = await importEvents([file, "--map", map, "--keep-events", "30d"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--keep-events needs --state FILE");

    const first = await emulator({ catalog: CATALOG });
    const keep = [...state, "--keep-events", "30d"];
    expect((await importEvents([file, "--map", map, ...flags(dir, first.url, keep)])).code).toBe(0);
    expect(first.store.eventCount()).toBe(2);
    const known = () => {
      const store = StateStore.open(statePath);
      const count = store.eventCount();
      store.close();
      return count;
    };
    expect(known()).toBe(2); // the 60-day-old order was accepted now: kept
    const again = await emulator({ catalog: CATALOG });
    expect((await importEvents([file, "--map", map, ...flags(dir, again.url, keep)])).code).toBe(0);
    expect(again.store.eventCount()).toBe(0); // the next night sends neither again
    expect(known()).toBe(2);

    // 40 days on: both were accepted longer ago than the window.
    const db = new Database(statePath);
    db.prepare("UPDATE events SET accepted = accepted - ?").run(40 * day);
    db.close();
    const later = await emulator({ catalog: CATALOG });
    expect((await importEvents([file, "--map", map, ...flags(dir, later.url, keep)])).code).toBe(0);
    expect(later.store.eventCount()).toBe(0); // still known when this run read them
    expect(known()).toBe(0); // forgotten at its end

    const second = await emulator({ catalog: CATALOG });
    expect((await importEvents([file, "--map", map, ...flags(dir, second.url, state)])).code).toBe(
      0,
    );
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 2, accepted: 2 });
    const old = (s: typeof first.store) =>
      s.events().find((e) => e.event.event_properties?.df_order_id === "old")?.event.event_log_id;
    expect(old(second.store)).toBe(old(first.store)); // the same event, the same id
  });
});
