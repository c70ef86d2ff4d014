/**
 * What an export's meaning costs (issue 17): the import-events dry run of a GA4-shaped NDJSON file
 * (BigQuery's export: µs times as strings, parameters as a key/value list) with the mapping that
 * states what it means (6 key lookups, the µs datetime read with `epoch_us`, a `where`), as a ratio to
 * the dry run of the same file with plain paths only (the parameters by position, a millisecond
 * field for the datetime, no filter), in events per CPU second. Target ≥ 0.7. The `where` keeps every event of this file, so
 * the ratio is its whole cost, not a saving from rows left out. Each pass runs in a fresh process.
 */
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChildJson } from "./child.js";
import type { ChildResult } from "./dry-run-child.js";

export const GA4_MAPPING = `source: { format: ndjson }
where: "has(row.user_pseudo_id) && !(row.event_name in ['session_start', 'first_visit'])"
identity: { external_id: user_pseudo_id }
event:
  name: event_name
  datetime: { column: event_timestamp, format: epoch_us }
properties:
  page_location: event_params[key=page_location].value.string_value
  page_title: event_params[key=page_title].value.string_value
  page_referrer: event_params[key=page_referrer].value.string_value
  ga_session_id: { column: "event_params[key=ga_session_id].value.int_value", type: Long }
  ga_session_number: { column: "event_params[key=ga_session_number].value.int_value", type: Long }
  engagement_time_msec: { column: "event_params[key=engagement_time_msec].value.int_value", type: Long }
`;

/** The same properties by position, the datetime from a plain field: what a mapping could say before. */
export const PLAIN_MAPPING = `source: { format: ndjson }
identity: { external_id: user_pseudo_id }
event:
  name: event_name
  datetime: { column: event_time_ms, format: epoch_ms }
properties:
  page_location: event_params.0.value.string_value
  page_title: event_params.1.value.string_value
  page_referrer: event_params.2.value.string_value
  ga_session_id: { column: "event_params.3.value.int_value", type: Long }
  ga_session_number: { column: "event_params.4.value.int_value", type: Long }
  engagement_time_msec: { column: "event_params.5.value.int_value", type: Long }
`;

const T0_US = 1_717_900_000_000_000;
const NAMES = ["page_view", "scroll", "view_item", "add_to_cart", "user_engagement"];

/** `events` GA4-shaped events (8 parameters each, in the same order so positions are right). */
export function writeGa4(events: number): { file: string; ga4: string; plain: string } {
  const dir = mkdtempSync(join(tmpdir(), "bench-ga4-"));
  const file = join(dir, "events_20240609.ndjson");
  const fd = openSync(file, "w");
  let chunk = "";
  for (let i = 0; i < events; i++) {
    const us = T0_US + i * 1_000_123;
    const params = [
      { key: "page_location", value: { string_value: `https://shop.example.com/p/${i % 5000}` } },
      { key: "page_title", value: { string_value: `상품 ${i % 5000}` } },
      { key: "page_referrer", value: { string_value: "https://www.google.com/" } },
      { key: "ga_session_id", value: { int_value: String(1_717_899_000 + (i % 977)) } },
      { key: "ga_session_number", value: { int_value: String(1 + (i % 9)) } },
      { key: "engagement_time_msec", value: { int_value: String(i % 60_000) } },
      { key: "entrances", value: { int_value: "1" } },
      { key: "batch_ordering_id", value: { int_value: String(i % 100) } },
    ];
    chunk += `${JSON.stringify({
      event_date: "20240609",
      event_timestamp: String(us),
      event_time_ms: Math.trunc(us / 1000),
      event_name: NAMES[i % NAMES.length],
      event_params: params,
      user_pseudo_id: `${1_000_000 + (i % 100_000)}.1717899000`,
      device: { category: "mobile", operating_system: "Android", language: "ko-kr" },
      geo: { country: "South Korea", region: "Seoul", city: "Seoul" },
      traffic_source: { name: "(organic)", medium: "organic", source: "google" },
      platform: "WEB",
    })}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = "";
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  const ga4 = join(dir, "ga4.yaml");
  const plain = join(dir, "plain.yaml");
  writeFileSync(ga4, GA4_MAPPING);
  writeFileSync(plain, PLAIN_MAPPING);
  return { file, ga4, plain };
}

export interface ExpressionsResult {
  events: number;
  /** events per CPU second with the GA4 mapping (lookups, an expression, a where). */
  ga4PerSecond: number;
  /** events per CPU second with plain paths. */
  plainPerSecond: number;
  /**
   * ga4PerSecond ÷ plainPerSecond, best of `passes` each. CPU time, not wall time: on a machine
   * shared by other work a pass's wall time says more about the others than about the pass.
   */
  ratio: number;
  /** The same ratio in wall time, for an idle machine. */
  wallRatio: number;
  valid: { ga4: number; plain: number };
}

const CHILD = fileURLToPath(new URL("./dry-run-child.js", import.meta.url));

export async function benchExpressions(events: number, passes = 2): Promise<ExpressionsResult> {
  const { file, ga4, plain } = writeGa4(events);
  const best = async (mapping: string) => {
    let fastest: ChildResult | undefined;
    for (let i = 0; i < passes; i++) {
      const r = await runChildJson<ChildResult>(CHILD, ["events-dry-run", file, mapping]);
      if (fastest === undefined || r.cpuUs < fastest.cpuUs) fastest = r;
    }
    return fastest as ChildResult;
  };
  const plainRun = await best(plain); // first: it also warms the page cache
  const ga4Run = await best(ga4);
  const perSecond = (r: ChildResult) => Math.round(1_000_000 / r.cpuUs);
  const perWallSecond = (r: ChildResult) => r.rows / (r.ms / 1000);
  return {
    events,
    ga4PerSecond: perSecond(ga4Run),
    plainPerSecond: perSecond(plainRun),
    ratio: Number((perSecond(ga4Run) / perSecond(plainRun)).toFixed(3)),
    wallRatio: Number((perWallSecond(ga4Run) / perWallSecond(plainRun)).toFixed(3)),
    valid: { ga4: ga4Run.valid ?? 0, plain: plainRun.valid ?? 0 },
  };
}
