import type { ProfileUpdate } from "../api/dfinery.js";
import { type RowFailure, rowFailure } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import { checkColumns } from "../mapping/load.js";
import type { Mapping } from "../mapping/types.js";
import type { SourceFormat, SourceItem } from "../source/types.js";
import { isDeadLetterRecord, toReplayItem } from "./replay.js";

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
    };

export interface RowsOptions {
  readonly input: string;
  readonly format: SourceFormat;
  /** null: the input is a dead-letter file whose stored payloads are sent as they were. */
  readonly mapping: Mapping | null;
}

/**
 * Source items → work items, in file order: the header is checked against the mapping, unreadable
 * rows fail at the input stage, rows are mapped (or, from a dead-letter file, replayed).
 */
export async function* workItems(
  source: AsyncIterable<SourceItem>,
  options: RowsOptions,
): AsyncGenerator<WorkItem> {
  const { mapping, input } = options;
  let replay: boolean | undefined;
  for await (const item of source) {
    if (item.kind === "header") {
      if (mapping !== null) checkColumns(mapping, item.columns, input);
      continue;
    }
    if (item.kind === "invalid") {
      yield {
        kind: "failed",
        line: item.line,
        at: item.line,
        row: item.raw,
        format: options.format,
        failure: item.failure,
      };
      continue;
    }
    // A dead-letter file given as input is replayed: decided on its first row.
    replay ??= options.format === "ndjson" && isDeadLetterRecord(item.cells);
    if (!replay) {
      yield mapRow(mapping, item.line, item.line, item.cells, options.format, null, false);
      continue;
    }
    const r = toReplayItem(item.cells, item.line);
    yield r.kind === "unreadable"
      ? {
          kind: "failed",
          line: r.line,
          at: item.line,
          row: r.row,
          format: options.format,
          failure: r.failure,
        }
      : mapRow(mapping, r.line, item.line, r.cells, r.format, r.payload, true);
  }
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
  if (stored !== null) return { kind: "mapped", line, at, row: cells, format, update: stored };
  const failure = replay
    ? rowFailure("input", "REPLAY_NO_PAYLOAD", "this row was never mapped: replay it with --map")
    : rowFailure("input", "REPLAY_RECORD", "without --map, the input must be a dead-letter file");
  return { kind: "failed", line, at, row: cells, format, failure };
}
