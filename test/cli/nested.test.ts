import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flags, importEvents } from "./event-fixtures.js";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  tempDir,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/** Nested arrays `depth` deep around "end": beyond what JSON.stringify's recursion can write. */
function nested(depth = 20_000): string {
  let deep = '"end"';
  for (let i = 0; i < depth; i++) deep = `[${deep}]`;
  return deep;
}

/** The one dead letter of dir/dl.ndjson: line 2, the mapped nested cell left out, its error kept. */
function expectNestedCellDeadLettered(dir: string, field: string): void {
  const records = readNdjson(join(dir, "dl.ndjson"));
  expect(records).toHaveLength(1);
  const [record] = records;
  expect(record).toMatchObject({ line: 2, row: null, payload: null, format: "ndjson" });
  expect(record.error).toMatchObject({ code: "INVALID_VALUE", field });
  expect(record.errors).toEqual([expect.objectContaining({ field, value: null })]);
  expect(record.unwritable).toMatch(/and a failing cell's value.*RangeError/);
  // The report and its failing columns are written too (the value shown as nothing).
  expect(readJson(join(dir, "report.json"))).toMatchObject({
    rows: 3,
    accepted: 2,
    deadLettered: 1,
    failingColumns: [{ field, code: "INVALID_VALUE", rows: 1 }],
  });
}

describe("a row nested too deeply to be written as JSON", () => {
  it("is dead-lettered with what can be kept; the run goes on (also with --state)", async () => {
    const e = await emulator();
    const dir = tempDir();
    let deep = '"end"';
    for (let i = 0; i < 20_000; i++) deep = `[${deep}]`;
    const lines = [
      '{"id":"u1","points":"1"}',
      `{"id":"u2","points":"lots","deep":${deep}}`,
      '{"id":"u3","points":"3"}',
    ];
    const input = write(dir, "users.ndjson", `${lines.join("\n")}\n`);
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: id\nproperties:\n  points: { column: points, type: Long }\n",
    );
    const flags = runFlags(dir, e.url, { rate: "1000/s", state: true });
    const result = await runCli([input, "--map", map, ...flags]);
    expect(result.stderr).not.toMatch(/internal error|cannot write the dead-letter file/);
    expect(result.code).toBe(1);
    expect(e.store.count()).toBe(2);
    const [record] = readNdjson(join(dir, "dl.ndjson"));
    expect(record).toMatchObject({ line: 2, row: null, format: "ndjson" });
    expect(record.error.code).toBe("INVALID_VALUE");
    expect(record.unwritable).toMatch(/RangeError/);
  });
});

describe("a mapped cell nested too deeply to be written as JSON", () => {
  it("import-profiles dead-letters the row with what can be kept; the run goes on", async () => {
    const e = await emulator({ catalog: { tag: "String" } });
    const dir = tempDir();
    const lines = [
      '{"id":"u1","tag":"a"}',
      `{"id":"u2","tag":${nested()}}`,
      '{"id":"u3","tag":"c"}',
    ];
    const input = write(dir, "users.ndjson", `${lines.join("\n")}\n`);
    const map = write(dir, "m.yaml", "identity:\n  external_id: id\nproperties:\n  tag: tag\n");
    const result = await runCli([
      input,
      "--map",
      map,
      ...runFlags(dir, e.url, { rate: "1000/s", state: true }),
    ]);
    expect(result.stderr).not.toMatch(/internal error|RangeError/);
    expect(result.code).toBe(1);
    expect(e.store.list().map((p) => p.user_properties)).toEqual([{ tag: "a" }, { tag: "c" }]);
    expectNestedCellDeadLettered(dir, "tag");
  });

  it("import-events dead-letters the event with what can be kept; the run goes on", async () => {
    const e = await emulator({
      catalog: { events: { df_purchase: { properties: { df_order_id: "String" } } } },
    });
    const dir = tempDir();
    const lines = [
      '{"user_id":"u1","created_at":1715666400000,"order_id":"o1"}',
      `{"user_id":"u1","created_at":1715666401000,"order_id":${nested()}}`,
      '{"user_id":"u1","created_at":1715666402000,"order_id":"o3"}',
    ];
    const input = write(dir, "orders.ndjson", `${lines.join("\n")}\n`);
    const map = write(
      dir,
      "events.yaml",
      `identity: { external_id: user_id }
event:
  name: { value: df_purchase }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: order_id
`,
    );
    const state = ["--state", join(dir, "state.db")];
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url, state)]);
    expect(result.stderr).not.toMatch(/internal error|RangeError/);
    expect(result.code).toBe(1);
    expect(e.store.events().map((s) => s.event.event_properties)).toEqual([
      { df_order_id: "o1" },
      { df_order_id: "o3" },
    ]);
    expectNestedCellDeadLettered(dir, "df_order_id");
  });
});
