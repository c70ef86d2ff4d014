/**
 * What becomes of a group of item rows (item-groups.ts) once it is decided: at its end, or when it
 * overflows (more rows than can be sent, `overflowing`: the rows still to come fail as `others`).
 * First reason wins: a later part of a split group (`GROUP_SPLIT`), a row at fault (its own
 * failure; `GROUP_FAILED` for the others), an unreadable record next to it (`GROUP_FAILED`), too
 * many rows (`TOO_MANY_ITEMS`); else the event, its items gathered from every row. Pure.
 */
import { type RowFailure, rowFailure } from "../errors.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { EventDraft, EventMappingResult } from "./apply-event.js";
import type { Span } from "./closed-groups.js";

export interface GroupRow {
  readonly line: number;
  readonly row: unknown;
  /** The n-th identical event of its input (n ≥ 2), as a dead letter records it (event-ids.ts). */
  readonly occurrence?: number;
}

/** A finished group of rows `R` (the caller's rows, kept as they were pushed). */
export type Group<R extends GroupRow = GroupRow> =
  | {
      readonly ok: true;
      readonly rows: readonly R[];
      /** The event, its items gathered from every row, without its id yet. */
      readonly draft: EventDraft;
    }
  | { readonly ok: false; readonly rows: readonly (R & { failure: RowFailure })[] };

/** The group open now. */
export interface OpenGroup<R extends GroupRow> {
  /** The group value; a symbol for a row of its own (empty value, or an unreadable first record). */
  readonly key: unknown;
  /** `group order_id = "A"` or `the row`, as messages name it. */
  readonly label: string;
  readonly first: number;
  last: number;
  /** Rows held, not yet finished (all of them until the group overflows). */
  readonly rows: R[];
  readonly results: EventMappingResult[];
  /** An unreadable record next to this group that may have been one of its rows. */
  suspect?: { readonly line: number; readonly failure: RowFailure };
  /** The lines of an earlier part of the same group value, closed by other rows. */
  earlier?: Span;
  /** Once over `maxRows`: what each further row fails with (it is not held). */
  overflow?: RowFailure | undefined;
}

export interface Fate<R extends GroupRow> {
  readonly group: Group<R>;
  /** What a further row of the group fails with (an overflowing group's rows still to come). */
  readonly others: RowFailure | undefined;
}

/** What the rows of one event must agree on. */
function eventFields(draft: EventDraft): string {
  const { identity, name, datetime, properties, id } = draft;
  return canonicalJson([identity, name, datetime, properties, id]);
}

export function groupFate<R extends GroupRow>(
  open: OpenGroup<R>,
  maxRows: number,
  overflowing: boolean,
): Fate<R> {
  const { rows, results, label } = open;
  const failAll = (failure: RowFailure): Fate<R> => ({
    group: { ok: false, rows: rows.map((row) => ({ ...row, failure })) },
    others: failure,
  });
  const one = open.first === open.last && !overflowing;
  const span = `${one ? "line" : "lines"} ${spanText(open.first, open.last)}${overflowing ? " and on" : ""} ${one ? "comes" : "come"}`;
  if (open.earlier !== undefined) {
    const { first, last } = open.earlier;
    const message = `${label}: ${span} back after the group's earlier rows, lines ${spanText(first, last)}, were closed by other rows; an event is sent whole or not at all, and the earlier part went on as an event of its own (it may have been sent): sort the file by its group column, or use --group-by-identity`;
    return failAll(rowFailure("mapping", "GROUP_SPLIT", message));
  }
  const fault = faultOf(rows, results);
  if (fault !== undefined) {
    const at = (rows[fault.index] as GroupRow).line;
    const others = rowFailure(
      "mapping",
      "GROUP_FAILED",
      `${label}: line ${at} of the same event failed (${fault.failure.message}); the event is sent whole or not at all`,
    );
    return {
      group: {
        ok: false,
        rows: rows.map((row, index) => ({
          ...row,
          failure: index === fault.index ? fault.failure : others,
        })),
      },
      others,
    };
  }
  const suspect = open.suspect;
  if (suspect !== undefined) {
    const message = `${label}: line ${suspect.line} just before it could not be read (${suspect.failure.message}) and may have been one of its rows; the event is sent whole or not at all`;
    return failAll(rowFailure("mapping", "GROUP_FAILED", message));
  }
  if (overflowing) {
    const message = `${label}: more than ${maxRows} rows (an item each) from line ${open.first}, over the API's ${maxRows} items per request`;
    return failAll(rowFailure("mapping", "TOO_MANY_ITEMS", message));
  }
  const drafts = results.map((r) => (r as EventMappingResult & { ok: true }).draft);
  const draft = drafts[0] as EventDraft;
  const items = drafts.flatMap((d) => d.items ?? []);
  const group: Group<R> = { ok: true, rows, draft: { ...draft, items } };
  return { group, others: undefined };
}

const spanText = (first: number, last: number): string =>
  first === last ? `${first}` : `${first}-${last}`;

/** The first row that failed, or whose event fields differ from the first row's. */
function faultOf<R extends GroupRow>(
  rows: readonly R[],
  results: readonly EventMappingResult[],
): { index: number; failure: RowFailure } | undefined {
  const first = results[0] as EventMappingResult;
  const firstFields = first.ok ? eventFields(first.draft) : "";
  for (const [index, result] of results.entries()) {
    if (!result.ok) return { index, failure: result.failure };
    if (index > 0 && eventFields(result.draft) !== firstFields) {
      const line = (rows[index] as GroupRow).line;
      const firstLine = (rows[0] as GroupRow).line;
      const message = `line ${line}: its event fields (identity, event, properties) differ from the group's first row, line ${firstLine}`;
      return { index, failure: rowFailure("mapping", "GROUP_MISMATCH", message) };
    }
  }
  return undefined;
}
