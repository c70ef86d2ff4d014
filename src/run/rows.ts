import type { ProfileUpdate } from "../api/dfinery.js";
import { type RowFailure, rowFailure } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import { checkColumns } from "../mapping/load.js";
import { checkPaths, PATH_SAMPLE, type PathPresence } from "../mapping/paths.js";
import type { Mapping } from "../mapping/types.js";
import type { SourceFormat, SourceItem } from "../source/types.js";
import { LineOrder } from "./line-order.js";
import {
  checkReplayCommand,
  isDeadLetterRecord,
  storedPayloadProblem,
  toReplayItem,
} from "./replay.js";

/**
 * Dead-letter records are written as rows end: out of line order by at most the read-ahead window
 * of the run that wrote them (2 × concurrency + 16). Replays restore line order within this many.
 */
const REPLAY_REORDER = 10_000;

/** A row as the delivery stage sees it: mapped, or failed before sending. */
/**
 * `line` is the row's line in the original input (what reports and dead-letter records show);
 * `at` is its line in the file being read now, strictly increasing (what resume progress tracks).
 * They differ only when a dead-letter file is replayed.
 */
export type WorkItem =
  | {
      readonly kind: "mapped";
      readonly line: number;
      readonly at: number;
      readonly row: unknown;
      readonly format: SourceFormat;
      readonly update: ProfileUpdate;
    }
  | {
      readonly kind: "failed";
      readonly line: number;
      readonly at: number;
      readonly row: unknown;
      readonly format: SourceFormat;
      readonly failure: RowFailure;
    }
  /** A record whose cells are all empty (Excel's rows of commas): skipped, counted apart. */
  | { readonly kind: "blank"; readonly line: number; readonly at: number };

export interface RowsOptions {
  readonly input: string;
  readonly format: SourceFormat;
  /** null: the input is a dead-letter file whose stored payloads are sent as they were. */
  readonly mapping: Mapping | null;
  /** Counts in how many rows each mapped NDJSON path is present (the dry run's report). */
  readonly presence?: PathPresence;
}

/**
 * Source items → work items, in file order: the header is checked against the mapping, unreadable
 * rows fail at the input stage, rows are mapped (or, from a dead-letter file, replayed).
 */
export async function* workItems(
  source: AsyncIterable<SourceItem>,
  options: RowsOptions,
): AsyncGenerator<WorkItem> {
  const { mapping, input, format } = options;
  let replay: boolean | undefined;
  const markers: ReadonlySet<string> = new Set(mapping?.source.emptyValues.map((m) => m.trim()));
  const reorder = new LineOrder<WorkItem>(REPLAY_REORDER);
  // `at` must increase strictly (resume progress): file lines, then a count in replay order.
  let lastAt = 0;
  const stamp = (item: WorkItem): WorkItem => {
    lastAt = replay === true ? lastAt + 1 : item.at;
    return replay === true ? { ...item, at: lastAt } : item;
  };
  const iterator = source[Symbol.asyncIterator]();
  const held: SourceItem[] = [];
  try {
    // NDJSON: the first records are read ahead to check the mapping's paths (no extra stage after).
    if (format === "ndjson" && mapping !== null)
      held.push(...(await readAhead(iterator, mapping, input)));
    for (;;) {
      let item: SourceItem;
      if (held.length > 0) {
        item = held.shift() as SourceItem;
      } else {
        const next = await iterator.next();
        if (next.done === true) break;
        item = next.value;
      }
      if (item.kind === "header") {
        if (mapping !== null) checkColumns(mapping, item.columns, input);
        continue;
      }
      if (item.kind === "invalid") {
        const { line, raw, failure } = item;
        yield stamp({ kind: "failed", line, at: line, row: raw, format, failure });
        continue;
      }
      // A dead-letter file given as input is replayed: decided on its first row.
      replay ??= format === "ndjson" && isDeadLetterRecord(item.cells);
      if (!replay) {
        if (mapping !== null && isBlank(item.cells, markers)) {
          yield stamp({ kind: "blank", line: item.line, at: item.line });
          continue;
        }
        options.presence?.count(item.cells);
        yield stamp(mapRow(mapping, item.line, item.line, item.cells, format, null, false));
        continue;
      }
      if (mapping === null) checkReplayCommand(item.cells, "import-profiles", input, item.line);
      const r = toReplayItem(item.cells, item.line);
      const work: WorkItem =
        r.kind === "unreadable"
          ? { kind: "failed", line: r.line, at: 0, row: r.row, format, failure: r.failure }
          : mapRow(mapping, r.line, 0, r.cells, r.format, r.payload, true);
      const next = reorder.push(work);
      if (next !== undefined) yield stamp(next);
    }
  } finally {
    await iterator.return?.();
  }
  for (const item of reorder.drain()) yield stamp(item);
}

function mapRow(
  mapping: Mapping | null,
  line: number,
  at: number,
  cells: Readonly<Record<string, unknown>>,
  format: SourceFormat,
  stored: ProfileUpdate | null,
  replay: boolean,
): WorkItem {
  if (mapping !== null) {
    const mapped = applyMapping(mapping, { kind: "row", line, cells }, format);
    return mapped.ok
      ? { kind: "mapped", line, at, row: cells, format, update: mapped.update }
      : { kind: "failed", line, at, row: cells, format, failure: mapped.failure };
  }
  if (stored !== null) {
    const problem = storedPayloadProblem(stored); // sent as it was: checked as the API would
    if (problem !== undefined)
      return { kind: "failed", line, at, row: cells, format, failure: problem };
    return { kind: "mapped", line, at, row: cells, format, update: stored };
  }
  const failure = replay
    ? rowFailure("input", "REPLAY_NO_PAYLOAD", "this row was never mapped: replay it with --map")
    : rowFailure("input", "REPLAY_RECORD", "without --map, the input must be a dead-letter file");
  return { kind: "failed", line, at, row: cells, format, failure };
}

/**
 * Whether every cell of a record is empty: blank or whitespace, null, or one of the source's
 * `empty_values`. Most rows have a value in their first cell, so this stops there.
 */
export function isBlank(cells: Readonly<Record<string, unknown>>, markers: ReadonlySet<string>) {
  for (const key in cells) {
    const value = cells[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== "string") return false;
    const text = value.trim();
    if (text !== "" && !markers.has(text)) return false;
  }
  return true;
}

/**
 * Reads the first PATH_SAMPLE NDJSON records (or all of a smaller file) and checks the mapping's
 * paths against them: a path in none of them stops the run before its first request
 * (mapping/paths.ts). Returns the items read, to be processed first. A dead-letter file (a
 * replay) is not checked.
 */
async function readAhead(
  iterator: AsyncIterator<SourceItem>,
  mapping: Mapping,
  file: string,
): Promise<SourceItem[]> {
  const held: SourceItem[] = [];
  const records: Readonly<Record<string, unknown>>[] = [];
  while (records.length < PATH_SAMPLE) {
    const next = await iterator.next();
    if (next.done === true) break;
    held.push(next.value);
    if (next.value.kind === "row") records.push(next.value.cells);
  }
  const first = records[0];
  if (first !== undefined && !isDeadLetterRecord(first)) checkPaths(mapping, records, file);
  return held;
}
