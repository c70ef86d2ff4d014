import { describe, expect, test } from "vitest";
import { planEvents } from "../../src/init/events/plan.js";
import { renderEventDraft } from "../../src/init/events/render.js";
import type { Sample } from "../../src/init/sample.js";
import { parseMapping } from "../../src/mapping/load.js";

/** A CSV sample of `rows` rows, each column's value from its function of the row's index. */
function csv(columns: Readonly<Record<string, (i: number) => string>>, rows = 40): Sample {
  const names = Object.keys(columns);
  return {
    format: "csv",
    encoding: "utf8",
    columns: names,
    rows: Array.from({ length: rows }, (_, i) =>
      Object.fromEntries(names.map((n) => [n, (columns[n] as (i: number) => string)(i)])),
    ),
    unreadable: 0,
  };
}

const draftOf = (sample: Sample) => renderEventDraft(planEvents(sample), "export.csv");

/** The mapping's load problems, as `path: message`. */
function problems(yaml: string): string[] {
  try {
    parseMapping(yaml, "events.yaml");
    return [];
  } catch (error) {
    return (error as { issues: { path: string; message: string }[] }).issues.map(
      (i) => `${i.path}: ${i.message}`,
    );
  }
}

const LEFT = "is a placeholder left by init: write what its comment asks for";
const at = (i: number) => `2024-03-01 ${String(i % 24).padStart(2, "0")}:00:00`;

describe("the evidence an event draft rests on", () => {
  test("a zone only from the values or the name: offsets and a UTC name make UTC, Korean text does not", () => {
    const offsets = draftOf(
      csv({
        user_id: (i) => `u${i % 5}`,
        event_name: () => "login",
        created_at: (i) => `${at(i)}+09:00`,
      }),
    );
    expect(offsets).toContain(
      "  # UTC: every date-time carries its offset, Z, or is an epoch number (UTC)\n  timezone: UTC\n",
    );
    expect(problems(offsets)).toEqual([]);

    const named = draftOf(
      csv({ user_id: (i) => `u${i % 5}`, event_name: () => "login", event_time_utc: at }),
    );
    expect(named).toContain(
      '  # UTC: the column name says UTC: "event_time_utc"\n  timezone: UTC\n',
    );

    const korean = draftOf(
      csv({
        회원아이디: (i) => `회원${i % 5}`,
        이벤트명: () => "로그인",
        일시: at,
        메모: () => "한글 메모",
      }),
    );
    expect(korean).toContain("  timezone: TODO_zone\n");
    expect(korean).toContain('      "로그인": "df_login" # the standard event');
    expect(korean).toContain('  external_id: { column: "회원아이디" }');
    expect(problems(korean)).toEqual([`source.timezone: "TODO_zone" ${LEFT}`]);
  });

  test("a column unique per row is not the person; no name column and no orders: TODO_ values that do not load", () => {
    const yaml = draftOf(
      csv({ event_uuid: (i) => `evt-${i}`, customer_id: (i) => `C${i}`, ts: (i) => `${at(i)}Z` }),
    );
    expect(yaml).toContain(
      '  # "customer_id" is named like a person\'s id but has a different value on each of its 40 sample rows: it names the row or the event, not a person',
    );
    expect(yaml).toContain("  external_id: TODO_person_column\n");
    expect(yaml).toContain("  name: { value: TODO_event_name }\n");
    expect(yaml).toContain('  datetime: { column: "ts" }\n'); // no time by name: by its cells
    expect(problems(yaml)).toEqual([
      `identity.external_id: "TODO_person_column" ${LEFT}`,
      `event.name.value: "TODO_event_name" ${LEFT}`,
    ]);
  });

  test("an order's status (결제완료, 환불완료) is not taken for event names", () => {
    const yaml = draftOf(
      csv({
        주문번호: (i) => `O${Math.floor(i / 2)}`,
        주문상태: (i) => (i % 4 < 2 ? "결제완료" : "환불완료"),
        구매자ID: (i) => `b${i % 3}`,
        주문일시: (i) => at(Math.floor(i / 2)),
        상품명: (i) => `상품${i % 2}`,
      }),
    );
    expect(yaml).toContain("  name: { value: df_purchase }\n");
    expect(yaml).toContain('  group_by: "주문번호"\n');
    expect(yaml).toContain('    df_item_name: { column: "상품명" }\n');
  });

  test("a GA4 parameter whose value comes in two fields: the more frequent read, the other said in its comment", () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      event_name: "purchase",
      event_timestamp: String(1_709_294_400_000_000 + i),
      user_pseudo_id: `p${i % 3}`,
      event_params: [{ key: "value", value: i < 7 ? { double_value: 9.5 } : { int_value: "9" } }],
    }));
    const sample: Sample = {
      format: "ndjson",
      encoding: "utf8",
      columns: ["event_name", "event_timestamp", "user_pseudo_id", "event_params"],
      rows,
      unreadable: 0,
    };
    expect(draftOf(sample)).toContain(
      "  # \"event_params[key=value].value.double_value\": 7/7 sample cells read as Double; its name means DFINERY's df_total_purchase_amount (Double); its key's value is also in int_value in 3 cells, not read: map that field too\n",
    );
  });
});
