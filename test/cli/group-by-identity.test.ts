import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CATALOG,
  flags,
  importEvents,
  importOrderRows,
  ORDERS_MAPPING,
  ordersByUser,
  ordersNdjson,
} from "./event-fixtures.js";
import {
  emulatorPerTest,
  ownScratch,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

describe("import-events --group-by-identity", () => {
  it("sends a time-ordered export of interleaved users one request a user, in file order", async () => {
    const e = await emulator({ catalog: CATALOG, remember: true });
    const dir = tempDir();
    // 300 events of 10 users, user i % 10: each user's next event 10 rows later.
    const input = write(dir, "orders.ndjson", ordersNdjson(300, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const argv = [input, "--map", map, "--group-by-identity", ...flags(dir, e.url)];
    const result = await importEvents(argv);
    expect(result.code).toBe(0);
    expect(e.store.stats().requests).toBe(10);
    expect(e.store.eventCount()).toBe(300);
    expect(e.store.duplicateEvents()).toBe(0);
    // One request a user: its 30 events, in file order (u3's are rows 3, 13, 23, …).
    const u3 = e.store.events().filter((s) => s.identity.external_id === "u3");
    expect(u3.map((s) => s.receivedAt)).toEqual(Array(30).fill(u3[0]?.receivedAt));
    const expected = Array.from({ length: 30 }, (_, k) => 3 + 10 * k);
    const orderOf = (i: number) => (i % 7 === 0 ? undefined : `o${i}`);
    expect(u3.map((s) => s.event.event_properties.df_order_id)).toEqual(expected.map(orderOf));
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 300, accepted: 300 });
    expect(ownScratch()).toEqual([]);
  });

  it("sends an order whose rows are scattered through the file whole, once", async () => {
    const e = await emulator({ catalog: CATALOG });
    const { dir, result } = await importOrderRows(
      e.url,
      [
        "u1,o1,2024-05-14T06:00:00Z,A,1",
        "u2,o2,2024-05-14T06:01:00Z,C,1",
        "u1,o1,2024-05-14T06:00:00Z,B,2",
        "u1,o3,2024-05-14T06:02:00Z,D,1",
        "u1,o1,2024-05-14T06:00:00Z,E,1",
      ],
      ["--group-by-identity"],
    );
    expect(result.code).toBe(0);
    const sent = ordersByUser(e);
    expect(sent).toEqual([
      ["u1", "o1", ["A", "B", "E"]],
      ["u1", "o3", ["D"]],
      ["u2", "o2", ["C"]],
    ]);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });
});

const PROFILE_MAPPING = `identity: { external_id: id }
properties:
  ltv: { column: ltv, type: Double }
  city: city
  tier: tier
`;

describe("import-profiles --group-by-identity", () => {
  it("sends one update an identity, the union of its rows, the later row winning", async () => {
    const e = await emulator({ catalog: { ltv: "Double", city: "String", tier: "String" } });
    const dir = tempDir();
    const csv = [
      "id,ltv,city,tier",
      "u1,1.5,Seoul,",
      "u2,7,,gold",
      "u1,,Busan,silver",
      "u3,3,Daegu,",
      "u1,2.5,,",
    ].join("\n");
    const input = write(dir, "snapshots.csv", `${csv}\n`);
    const map = write(dir, "m.yaml", PROFILE_MAPPING);
    const argv = [input, "--map", map, "--group-by-identity"];
    const result = await runCli([...argv, ...runFlags(dir, e.url, { rate: "2000/s" })]);
    expect(result.code).toBe(0);
    // Users come in the order of the spill's buckets (a hash of the identity): sorted here.
    const byUser = [...e.store.list()].sort((a, b) =>
      String(a.identity.external_id).localeCompare(String(b.identity.external_id)),
    );
    expect(byUser.map((r) => [r.identity, r.user_properties])).toEqual([
      [{ external_id: "u1" }, { ltv: 2.5, city: "Busan", tier: "silver" }],
      [{ external_id: "u2" }, { ltv: 7, tier: "gold" }],
      [{ external_id: "u3" }, { ltv: 3, city: "Daegu" }],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 5,
      mergedRows: 2,
    });
    expect(result.stdout).toContain(
      "2 rows merged into the update of an earlier row of their identity (one request each identity, the later row winning)",
    );
  });

  it("sends a refused merge again as its rows: only the refused row is dead-lettered, with its own payload", async () => {
    // ltv registered as Long: the row with 2.5 is refused, alone or merged.
    const e = await emulator({ catalog: { ltv: "Long", city: "String", tier: "String" } });
    const dir = tempDir();
    const csv = ["id,ltv,city,tier", "u1,1,Seoul,", "u1,2.5,,gold", "u1,,Busan,"].join("\n");
    const input = write(dir, "snapshots.csv", `${csv}\n`);
    const map = write(dir, "m.yaml", PROFILE_MAPPING);
    const argv = [input, "--map", map, "--group-by-identity"];
    const result = await runCli([...argv, ...runFlags(dir, e.url, { rate: "2000/s" })]);
    expect(result.code).toBe(1);
    // The same end state as sending each row in order: line 3 refused, the others applied.
    expect(e.store.last("external_id", "u1")).toEqual({ ltv: 1, city: "Busan" });
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code, d.payload])).toEqual([
      [
        3,
        "40001",
        { identity: { external_id: "u1" }, user_properties: { ltv: 2.5, tier: "gold" } },
      ],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      accepted: 2,
      deadLettered: 1,
      mergedRows: 2,
    });
  });
});
