import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StateStore } from "../../src/state/store.js";
import { flags, GROUPED_MAPPING, importEvents } from "./event-fixtures.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** The users mapping with a row filter: users whose points are a multiple of 3 are left out. */
const WHERE = `where: "int(row.points) % 3 != 0"\n${USERS_MAPPING}`;

function setup(rows: number, mapping = WHERE, bad: Set<number> = new Set()) {
  const dir = tempDir();
  write(dir, "m.yaml", mapping);
  const input = write(dir, "users.csv", usersCsv(rows, bad));
  return { dir, input };
}

function args(dir: string, input: string, url: string, extra: string[] = []): string[] {
  return [input, "--map", join(dir, "m.yaml"), ...runFlags(dir, url, { rate: "2000/s" }), ...extra];
}

describe("where: the row filter", () => {
  it("leaves filtered rows out: never sent, never dead-lettered, exit 0, the report balancing", async () => {
    const e = await emulator();
    const { dir, input } = setup(30);
    const result = await runCli(args(dir, input, e.url));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /30 rows in .*: 20 accepted, 0 unchanged, 10 filtered, 0 dead-lettered, 0 not attempted/,
    );
    const sent = e.store
      .list()
      .map((r) => ({ identity: r.identity, user_properties: r.user_properties }))
      .sort(
        (a, b) => (a.user_properties?.points as number) - (b.user_properties?.points as number),
      );
    expect(sent).toEqual(
      Array.from({ length: 30 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => ({
          identity: { external_id: `u${i}`, email: `user${i}@example.com` },
          user_properties: { points: i },
        })),
    );
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({ rows: 30, accepted: 20, filtered: 10, deadLettered: 0 });
    expect(report.accepted + report.filtered + report.deadLettered + report.unchanged).toBe(30);
  });

  it("dead-letters a row it cannot evaluate as EXPRESSION_FAILED, naming the expression", async () => {
    const e = await emulator();
    const { dir, input } = setup(6, WHERE, new Set([4]));
    const result = await runCli(args(dir, input, e.url));
    expect(result.code).toBe(1);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      line: 6,
      row: { id: "u4", email: "user4@example.com", points: "lots" },
      payload: null,
      error: {
        stage: "mapping",
        code: "EXPRESSION_FAILED",
        field: "where",
        message: expect.stringMatching(
          /^expression "int\(row\.points\) % 3 != 0" failed: int\(\) type error/,
        ),
      },
    });
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 6,
      accepted: 3,
      filtered: 2,
      deadLettered: 1,
      notAttempted: 0,
    });
  });

  it("with --state, counts a filtered row as done: a resumed run reads it as done and stores nothing for it", async () => {
    const e = await emulator();
    const { dir, input } = setup(60);
    const flags = ["--state", join(dir, "state.db"), "--concurrency", "2"];
    const wrong = await runCli(args(dir, input, e.url, flags), { DFINERY_ACCESS_TOKEN: "wrong" });
    expect(wrong.code).toBe(3);
    // u0 (line 2) is filtered before the first request is answered: done in the stopped pass.
    const stopped = StateStore.open(join(dir, "state.db"));
    const first = stopped.history(1)[0];
    stopped.close();
    expect(first?.filtered).toBeGreaterThan(0);
    const resumed = await runCli(args(dir, input, e.url, [...flags, "--resume"]));
    expect(resumed.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 60,
      accepted: 40,
      filtered: 20,
      deadLettered: 0,
      notAttempted: 0,
    });
    expect(e.store.count()).toBe(40);
    const after = StateStore.open(join(dir, "state.db"));
    const run = after.history(1)[0];
    // The filtered rows count once, and only the 40 accepted identities are stored.
    expect(run).toMatchObject({ rows: 60, accepted: 40, filtered: 20, notAttempted: 0 });
    expect(after.identityCount()).toBe(40);
    after.close();
    // status shows the filtered rows in their own column, and the line adds up.
    const status = await runCli(["status", "--state", join(dir, "state.db")], {});
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      / rows +accepted +unchanged +filtered +dead-lettered +not attempted +exit +input\n/,
    );
    expect(status.stdout).toMatch(/#1 .* +60 +40 +0 +20 +0 +0 +0 +\S*users\.csv\n/);
  });

  it("in CSV item groups: the first row decides for its group; a group left out does not join the rows around it", async () => {
    const e = await emulator();
    const dir = tempDir();
    const mapping = `where: "row.status != 'cancelled'"\n${GROUPED_MAPPING}`;
    const csv = [
      "order_id,user_id,created_at,status,sku,qty",
      "o1,u1,2024-06-09T10:00:00Z,paid,A,1",
      "o1,u1,2024-06-09T10:00:00Z,paid,B,2",
      "o2,u1,2024-06-09T11:00:00Z,cancelled,C,1",
      "o2,u1,2024-06-09T11:00:00Z,paid,D,1", // the group's first row decides: left out too
      "o1,u1,2024-06-09T10:00:00Z,paid,E,3", // o1 again after a gap: a split order (issue 21)
    ].join("\n");
    const input = write(dir, "orders.csv", `${csv}\n`);
    const map = write(dir, "m.yaml", mapping);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(1);
    const sent = e.store.events().map((s) => s.event.event_items);
    // o1's first part went alone; its part after the gap is never sent as a second order.
    expect(sent).toEqual([
      [
        { df_item_id: "A", df_quantity: 1 },
        { df_item_id: "B", df_quantity: 2 },
      ],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 2,
      filtered: 2,
      deadLettered: 1,
    });
    const letters = readNdjson(join(dir, "dl.ndjson"));
    expect(letters.map((l) => [l.line, l.error.code])).toEqual([[6, "GROUP_SPLIT"]]);
  });

  it("refuses at load an expression that does not compile, with its line", async () => {
    const { dir, input } = setup(3, `${USERS_MAPPING}where: "row.points >"\n`);
    const result = await runCli(args(dir, input, "http://127.0.0.1:9"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/m.yaml:6 {2}where: not an expression: Unexpected token: EOF/);
  });

  it("checks a row['…'] header like a column: exit 2 with a did-you-mean", async () => {
    const { dir, input } = setup(3, `where: "row['point'] != '0'"\n${USERS_MAPPING}`);
    const result = await runCli(args(dir, input, "http://127.0.0.1:9"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"point" \(where\); did you mean "points"\?/);
  });
});
