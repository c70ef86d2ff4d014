/**
 * --group-by-identity over many inputs: hourly event files of interleaved users go a user's events
 * in one request across the files, in file order, with the ids a run without it gives (identical
 * events counted within their file); dead letters name their file and line; an order scattered
 * through each of two CSV parts is one event a part; profile snapshots in part files are merged
 * across them, the later file winning.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import {
  CATALOG,
  flags,
  GROUPED_MAPPING,
  importEvents,
  KEYWORD_MAPPING,
  ordersByUser,
  T0,
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

const USERS = 4;

/** Hour `h` of an app's event log: 12 events in time order, event i of user i % 4. */
function hour(h: number, extra: readonly string[] = []): string {
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    const at = T0 + h * 3_600_000 + i * 1_000;
    const user = `u${i % USERS}`;
    if (i % 5 === 0) {
      lines.push(JSON.stringify({ user_id: user, type: "signup", created_at: at }));
      continue;
    }
    const items = [{ sku: `S${h}-${i}`, price: 500, qty: 1 }];
    const order = { user_id: user, type: "order", created_at: at, order_id: `o${h}-${i}` };
    lines.push(JSON.stringify({ ...order, total: 500, line_items: items }));
  }
  return `${[...lines, ...extra].join("\n")}\n`;
}

/** The last event of hour 0, exported again in hour 1 (an overlapping export). */
const REPEATED = JSON.stringify({
  user_id: "u3",
  type: "order",
  created_at: T0 + 11_000,
  order_id: "o0-11",
  total: 500,
  line_items: [{ sku: "S0-11", price: 500, qty: 1 }],
});

/** An export folder of three hours (the first gzipped), with a marker file. */
function hourlyFolder(): { dir: string; out: string; map: string } {
  const dir = tempDir();
  const out = join(dir, "export");
  mkdirSync(out);
  writeFileSync(join(out, "events-00.ndjson.gz"), gzipSync(hour(0)));
  writeFileSync(join(out, "events-01.ndjson"), hour(1, [REPEATED, "{not json"]));
  const refused = JSON.stringify({
    user_id: "u1",
    type: "order",
    created_at: T0 + 7_300_000,
    order_id: "bad",
    keyword: "unregistered",
    total: 1,
    line_items: [{ sku: "X", price: 1, qty: 1 }],
  });
  writeFileSync(join(out, "events-02.ndjson"), hour(2, [refused]));
  writeFileSync(join(out, "_SUCCESS"), "");
  return { dir, out, map: write(dir, "events.yaml", KEYWORD_MAPPING) };
}

/** Each user's event ids, in the order the emulator took them. */
function idsByUser(e: Emulator): Record<string, string[]> {
  const ids: Record<string, string[]> = {};
  for (const s of e.store.events()) {
    const user = String(s.identity.external_id);
    ids[user] = [...(ids[user] ?? []), s.event.event_log_id];
  }
  return ids;
}

describe("import-events --group-by-identity over many files", () => {
  it("sends each user's events of every hour in one request, in file order, with the ids of a run in file order", async () => {
    const { dir, out, map } = hourlyFolder();
    const grouped = await emulator({ catalog: CATALOG, remember: true });
    const result = await importEvents([
      out,
      "--map",
      map,
      "--group-by-identity",
      ...flags(dir, grouped.url),
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1); // the refused event and the broken line
    // 4 users: one request each; u1's (with the refused event) split until it is alone.
    const perUser = grouped.store.events().map((s) => [s.identity.external_id, s.receivedAt]);
    for (let u = 0; u < USERS; u++) {
      const times = new Set(perUser.filter(([user]) => user === `u${u}`).map(([, at]) => at));
      expect(times.size, `u${u}'s requests`).toBe(u === 1 ? 3 : 1);
    }
    // u1's 10 events refused, then halves: 5 taken, 5 refused; 3 taken, 2 refused; 1 and 1.
    expect(grouped.store.stats().requests).toBe(3 + 7);
    // u2: events 2, 6, 10 of each hour, in file order.
    const u2 = grouped.store
      .events()
      .filter((s) => s.identity.external_id === "u2")
      .map((s) => s.event.event_datetime);
    const expected = [0, 1, 2].flatMap((h) =>
      [2, 6, 10].map((i) => new Date(T0 + h * 3_600_000 + i * 1_000).toISOString()),
    );
    expect(u2).toEqual(expected);
    // The repeated event keeps its id in either file, as in a run in file order.
    expect(grouped.store.duplicateEvents()).toBe(1);
    const plain = await emulator({ catalog: CATALOG, remember: true });
    const inOrder = await importEvents([out, "--map", map, ...flags(tempDir(), plain.url)]);
    expect(inOrder.code).toBe(1);
    expect(idsByUser(grouped)).toEqual(idsByUser(plain));
    // Dead letters name their file and line, row by row.
    const dead = readNdjson(join(dir, "dl.ndjson")).map((r) => [r.file, r.line, r.error.code]);
    expect(dead.sort()).toEqual([
      [join(out, "events-01.ndjson"), 14, "JSON_PARSE"],
      [join(out, "events-02.ndjson"), 13, "40001"],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 39,
      accepted: 37,
      deadLettered: 2,
      files: { count: 3, skipped: { marker: 1 } },
    });
    expect(ownScratch()).toEqual([]);
  });

  it("sends an order scattered through each of two CSV parts as one event a part", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const out = join(dir, "export");
    mkdirSync(out);
    const header = "user_id,order_id,created_at,sku,qty";
    const part = (sku: string) =>
      [
        header,
        `u1,o1,2024-05-14T06:00:00Z,${sku}1,1`,
        "u2,o2,2024-05-14T06:01:00Z,C,1",
        `u1,o1,2024-05-14T06:00:00Z,${sku}2,2`,
      ].join("\n");
    writeFileSync(join(out, "part-00000.csv"), `${part("A")}\n`);
    writeFileSync(join(out, "part-00001.csv"), `${part("B")}\n`);
    const map = write(dir, "events.yaml", GROUPED_MAPPING);
    const result = await importEvents([
      out,
      "--map",
      map,
      "--group-by-identity",
      ...flags(dir, e.url),
    ]);
    expect(result.code).toBe(0);
    const sent = ordersByUser(e);
    expect(sent).toEqual([
      ["u1", "o1", ["A1", "A2"]],
      ["u1", "o1", ["B1", "B2"]],
      ["u2", "o2", ["C"]],
      ["u2", "o2", ["C"]],
    ]);
    // An item group ends with its file: the same order in each part is two events, as in order.
    expect(new Set(e.store.events().map((s) => s.event.event_log_id)).size).toBe(3);
  });
});

const SNAPSHOT_MAPPING = `identity: { external_id: id }
properties:
  points: { column: points, type: Long }
  city: city
`;

describe("import-profiles --group-by-identity over many files", () => {
  it("merges each identity's snapshots of every part into one update, the later part winning", async () => {
    const e = await emulator({ catalog: { points: "Long", city: "String" } });
    const dir = tempDir();
    const out = join(dir, "snapshots");
    mkdirSync(out);
    writeFileSync(join(out, "part-00000.csv"), "id,points,city\nu1,1,Seoul\nu2,5,\nu1,2,\n");
    writeFileSync(join(out, "part-00001.csv"), "id,points,city\nu2,lots,Busan\nu1,,Daegu\n");
    const map = write(dir, "m.yaml", SNAPSHOT_MAPPING);
    const argv = [out, "--map", map, "--group-by-identity"];
    const result = await runCli([...argv, ...runFlags(dir, e.url, { rate: "1000/s" })]);
    expect(result.code).toBe(1);
    const byUser = [...e.store.list()].sort((a, b) =>
      String(a.identity.external_id).localeCompare(String(b.identity.external_id)),
    );
    expect(byUser.map((r) => [r.identity.external_id, r.user_properties])).toEqual([
      ["u1", { points: 2, city: "Daegu" }],
      ["u2", { points: 5 }],
    ]);
    const dead = readNdjson(join(dir, "dl.ndjson")).map((r) => [r.file, r.line, r.error.code]);
    expect(dead).toEqual([[join(out, "part-00001.csv"), 2, "INVALID_VALUE"]]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 4,
      deadLettered: 1,
      mergedRows: 2,
    });
  });
});
