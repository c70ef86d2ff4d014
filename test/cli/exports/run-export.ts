/** Shared by the export tests: one export file and its mapping through import-events, and what arrived. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EventRecord } from "../../../src/api/events.js";
import type { Emulator } from "../../../src/emulator/index.js";
import { flags, importEvents } from "../event-fixtures.js";
import { readJson, readNdjson, tempDir, write } from "../helpers.js";

export interface ExportRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: Record<string, unknown>;
  /** The dead-letter records, in line order. */
  readonly dead: { line: number; row: unknown; error: Record<string, unknown> }[];
  /** The events the emulator accepted, by user then time, each with its identity. */
  readonly events: (EventRecord & { identity: Record<string, string> })[];
}

export async function runExport(
  e: Emulator,
  file: string,
  text: string,
  mapping: string,
): Promise<ExportRun> {
  const dir = tempDir();
  const input = write(dir, file, text);
  const map = write(dir, "mapping.yaml", mapping);
  const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
  const deadLetters = join(dir, "dl.ndjson");
  const dead = existsSync(deadLetters)
    ? readNdjson(deadLetters).sort((a, b) => a.line - b.line)
    : [];
  const events = e.store
    .events()
    .map((s) => ({ ...s.event, identity: { ...s.identity } as Record<string, string> }))
    .sort(
      (a, b) =>
        JSON.stringify(a.identity).localeCompare(JSON.stringify(b.identity)) ||
        a.event_datetime.localeCompare(b.event_datetime),
    );
  const report = join(dir, "report.json");
  if (!existsSync(report)) throw new Error(`no report: exit ${result.code}, ${result.stderr}`);
  return { ...result, report: readJson(report), dead, events };
}

/** The expected events in the same order as ExportRun.events. */
export function byUserThenTime<T extends { identity: object; event_datetime: string }>(
  events: T[],
): T[] {
  return events.sort(
    (a, b) =>
      JSON.stringify(a.identity).localeCompare(JSON.stringify(b.identity)) ||
      a.event_datetime.localeCompare(b.event_datetime),
  );
}

/** The standard item properties the three exports' mappings send, as a catalog registers them. */
export const ITEM_TYPES = {
  df_item_id: "String",
  df_item_name: "String",
  df_price: "Double",
  df_quantity: "Long",
} as const;
