import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { flags, importEvents } from "../cli/event-fixtures.js";
import { emulatorPerTest, readJson, runCli, tempDir } from "../cli/helpers.js";
import { amplitude, ga4, smartStore } from "./event-exports.js";
import {
  arrived,
  draft,
  dryRun,
  keep,
  meant,
  missing,
  realRun as runInto,
  stored,
  todos,
} from "./event-runs.js";

const emulator = emulatorPerTest();

/** A real run into a new emulator: every event it stored. */
const realRun = async (dir: string, input: string, map: string) =>
  runInto(await emulator(), dir, input, map);

describe("import-events init", () => {
  test("a SmartStore order-line CSV in CP949: the buyer, one purchase per order, Seoul time only once written", async () => {
    const { dir, file, result } = await draft(smartStore);
    const { draft: yaml } = result;
    expect(result.sample.encoding).toBe("cp949");
    // The buyer repeats across orders; the order-line number (unique per row) is not the person.
    expect(
      missing(yaml, [
        '  external_id: { column: "구매자ID" }',
        "  name: { value: df_purchase }",
        '  datetime: { column: "주문일시" }',
        '  id: { column: "주문번호", transform: [{ uuid: "df_purchase" }] }',
        '  group_by: "주문번호"',
        '  df_order_id: { column: "주문번호" }',
        "  df_total_purchase_amount: { expr: \"sum(rows.map(r, number(r['최종 상품별 총 주문금액'])))\", type: Double }",
        '    df_item_id: { column: "상품번호" }',
        '    df_price: { column: "상품가격", type: Double }',
        '    df_quantity: { column: "수량", type: Long }',
        `# where: "!(row['주문상태'] in ['취소'])"`,
      ]),
    ).toEqual([]);
    expect(yaml).toContain("  timezone: TODO_zone"); // Korean text is no evidence of a zone
    expect(todos(result)).toEqual([
      'source.timezone: "TODO_zone" is a placeholder left by init: write what its comment asks for',
    ]);
    expect(result.summary).toContain("the draft does not load until its TODO_ values are written");

    const map = keep(dir, yaml, { TODO_zone: "Asia/Seoul" });
    const dry = await dryRun(dir, file.path, map);
    expect(dry.accepted / dry.rows).toBeGreaterThanOrEqual(0.95);
    expect(dry).toMatchObject({ rows: file.rows, accepted: file.rows });

    const e = await emulator();
    const state = ["--state", join(dir, "events.db")];
    const run = await importEvents([file.path, "--map", map, ...flags(dir, e.url, state)]);
    expect(run.code).toBe(0);
    const events = stored(e);
    expect(arrived(events)).toEqual(meant(file.events));
    // The next day's export of the same orders, their status changed: the same events, none sent.
    const nextDay = smartStore(dir, file.events.length, "구매확정");
    const again = await importEvents([nextDay.path, "--map", map, ...flags(dir, e.url, state)]);
    expect(again.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: file.rows,
      unchanged: file.rows,
    });
    expect(stored(e)).toHaveLength(file.events.length);
    // One purchase per order, with its lines as items and the order's values.
    const orders = file.events.map((m) => m.properties?.df_order_id);
    expect(new Set(events.map((e) => e.event_properties.df_order_id)).size).toBe(orders.length);
    for (const m of file.events) {
      const sent = events.find((e) => e.event_properties.df_order_id === m.properties?.df_order_id);
      expect(sent?.event_properties).toMatchObject(m.properties ?? {});
      expect(sent?.event_items).toEqual(
        (m.items ?? []).map((item) => expect.objectContaining(item)),
      );
    }
  });

  test("a GA4 export (NDJSON): the browser's id, µs times in UTC, standard names, items from the list, parameters by key", async () => {
    const { dir, file, result } = await draft(ga4);
    const { draft: yaml } = result;
    expect(
      missing(yaml, [
        '  external_id: { column: "user_pseudo_id" }',
        '      "purchase": "df_purchase" # the standard event',
        '      "view_item": "df_view_product_details" # the standard event',
        '      "page_view": "page_view" # no standard event: register it in the console, or leave it out with where',
        '  datetime: { column: "event_timestamp", format: "epoch_us" }',
        "  timezone: UTC",
        '  from: "items"',
        '  df_order_id: { column: "event_params[key=transaction_id].value.string_value" }',
        '  df_total_purchase_amount: { column: "event_params[key=value].value.double_value", type: Double }',
        '    df_category1: { column: "item_category" }',
      ]),
    ).toEqual([]);
    expect(todos(result)).toEqual([]);
    expect(result.valid).toBe(file.rows);
    expect(result.events).toBe(file.rows);
    expect(result.summary).toContain(
      `dry run of the draft on the first ${file.rows} rows: ${file.rows} valid, 0 not`,
    );

    const map = keep(dir, yaml);
    const dry = await dryRun(dir, file.path, map);
    expect(dry).toMatchObject({ rows: file.rows, accepted: file.rows });
    const { result: run, events } = await realRun(dir, file.path, map);
    expect(run.code).toBe(0);
    expect(arrived(events)).toEqual(meant(file.events));
    for (const m of file.events.filter((e) => e.items !== undefined)) {
      const sent = events.find((e) => e.event_datetime === m.utc);
      expect(sent?.event_items).toEqual(
        (m.items ?? []).map((item) => expect.objectContaining(item)),
      );
    }
    const purchase = events.find((e) => e.event_name === "df_purchase");
    expect(purchase?.event_properties).toMatchObject({
      df_total_purchase_amount: 66.5,
      currency: "USD",
    });
  });

  test("an Amplitude export in UTC without an offset: UTC from Amplitude's own columns, no time shifted; $insert_id as the event's id", async () => {
    const { dir, file, result } = await draft(amplitude);
    const { draft: yaml } = result;
    expect(
      missing(yaml, [
        '  external_id: { column: "user_id" }',
        '  id: { column: "$insert_id" }',
        '  datetime: { column: "event_time" }',
        '      "Order Completed": "df_purchase" # the standard event',
      ]),
    ).toEqual([]);
    expect(yaml).toMatch(
      /# UTC: the columns are Amplitude's export \(its times are UTC\)\n {2}timezone: UTC\n/,
    );
    expect(todos(result)).toEqual([
      'event.name.values.[Amplitude] Page Viewed: "TODO_amplitude_page_viewed" is a placeholder left by init: write what its comment asks for',
    ]);

    const map = keep(dir, yaml, { TODO_amplitude_page_viewed: "page_viewed" });
    const dry = await dryRun(dir, file.path, map);
    expect(dry.rows).toBe(file.rows);
    expect(dry.accepted).toBe(file.rows - file.anonymous);
    expect(dry.accepted / dry.rows).toBeGreaterThanOrEqual(0.95);
    const { events } = await realRun(dir, file.path, map);
    const renamed = file.events.map((m) =>
      m.name === "[Amplitude] Page Viewed" ? { ...m, name: "page_viewed" } : m,
    );
    expect(arrived(events)).toEqual(meant(renamed));
    expect(events.map((e) => e.event_log_id).sort()).toEqual(file.events.map((m) => m.id).sort());
  });

  test("import-events init on the command line writes events.yaml, and refuses to replace it", async () => {
    const dir = tempDir();
    const file = ga4(dir, 20);
    const out = join(dir, "events.yaml");
    const run = (argv: string[]) => runCli(argv, {}, undefined, "import-events");
    const first = await run(["init", file.path, "--out", out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`import-events init: wrote ${out}`);
    expect(first.stdout).toContain("20 valid, 0 not (20 events)");
    const again = await run(["init", file.path, "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${out} exists: pass --force`);
    const viaBinary = await runCli(
      ["events", "init", file.path, "--out", out, "--force"],
      {},
      undefined,
      "dfinery-import",
    );
    expect(viaBinary.code).toBe(0);
    expect(viaBinary.stdout).toContain("import-events init: wrote");
  });
});
