/**
 * CSV `items.group_by`: consecutive rows with the same value in the group column are one event,
 * one item per row. The event's own fields come from the group's first row; a row whose event
 * fields (identity, name, datetime, properties, id) disagree with the first's, or that cannot be
 * mapped, fails the whole group: every row of it is dead-lettered, naming the row at fault. A row
 * whose group value is empty is an event of its own. A record that cannot be read at all (its
 * group value unknown) fails the group open before it, and, when the next row starts another
 * group, that one too: it may have been either's, and an event is sent whole or not at all. Pure:
 * rows in, finished groups out; memory holds one group.
 */
import { type RowFailure, rowFailure } from "../errors.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { EventDraft, EventMappingResult } from "./apply-event.js";

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

interface Open<R extends GroupRow> {
  readonly key: unknown;
  readonly rows: R[];
  readonly results: EventMappingResult[];
  /** An unreadable record next to this group that may have been one of its rows. */
  suspect?: { readonly line: number; readonly failure: RowFailure };
}

export class ItemGroups<R extends GroupRow = GroupRow> {
  #open: Open<R> | undefined;
  /** An unreadable record the next group may own (it came after a group closed, or first). */
  #suspect: Open<R>["suspect"];

  constructor(readonly column: string) {}

  /** Adds a row with its group value; gives the group it finished, if any. */
  push(key: unknown, row: R, result: EventMappingResult): Group<R> | undefined {
    const open = this.#open;
    if (open !== undefined && sameKey(open.key, key)) {
      open.rows.push(row);
      open.results.push(result);
      this.#suspect = undefined; // the unreadable record was inside this group: it has failed it
      return undefined;
    }
    // An empty group value is no group: the row is an event of its own.
    this.#open = { key: isGroupKey(key) ? key : Symbol("own"), rows: [row], results: [result] };
    if (this.#suspect !== undefined) this.#open.suspect = this.#suspect;
    this.#suspect = undefined;
    return open === undefined ? undefined : close(open, this.column);
  }

  /**
   * A record that could not be read (its group value unknown): dead-lettered with the group open
   * before it, which it fails; the next group fails too unless the next row continues this one.
   */
  pushUnreadable(row: R, failure: RowFailure): void {
    const suspect = { line: row.line, failure };
    const open = this.#open;
    if (open === undefined) {
      // The first record: it can only have been the next group's. Dead-lettered alone, as its own group.
      this.#open = { key: Symbol("unreadable"), rows: [row], results: [{ ok: false, failure }] };
    } else {
      open.rows.push(row);
      open.results.push({ ok: false, failure });
    }
    this.#suspect = suspect;
  }

  /** The last group, at the end of the input. */
  flush(): Group<R> | undefined {
    const open = this.#open;
    this.#open = undefined;
    return open === undefined ? undefined : close(open, this.column);
  }
}

export const sameKey = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === "object" && canonicalJson(a) === canonicalJson(b));

/** A group value that makes a group: an empty one makes the row an event of its own. */
export const isGroupKey = (key: unknown): boolean =>
  key !== undefined && key !== null && !(typeof key === "string" && key.trim() === "");

/** What the rows of one event must agree on. */
function eventFields(draft: EventDraft): string {
  const { identity, name, datetime, properties, id } = draft;
  return canonicalJson([identity, name, datetime, properties, id]);
}

function close<R extends GroupRow>(open: Open<R>, column: string): Group<R> {
  const { rows, results } = open;
  const group =
    typeof open.key === "symbol"
      ? `the row`
      : `group ${column} = ${JSON.stringify(open.key ?? "")}`;
  let fault: { index: number; failure: RowFailure } | undefined;
  const first = results[0] as EventMappingResult;
  const firstFields = first.ok ? eventFields(first.draft) : "";
  for (const [index, result] of results.entries()) {
    if (!result.ok) {
      fault = { index, failure: result.failure };
      break;
    }
    if (eventFields(result.draft) !== firstFields) {
      const line = (rows[index] as GroupRow).line;
      const firstLine = (rows[0] as GroupRow).line;
      const message = `line ${line}: its event fields (identity, event, properties) differ from the group's first row, line ${firstLine}`;
      fault = { index, failure: rowFailure("mapping", "GROUP_MISMATCH", message) };
      break;
    }
  }
  const suspect = open.suspect;
  if (fault === undefined && suspect !== undefined) {
    const message = `${group}: line ${suspect.line} just before it could not be read (${suspect.failure.message}) and may have been one of its rows; the event is sent whole or not at all`;
    return {
      ok: false,
      rows: rows.map((row) => ({
        ...row,
        failure: rowFailure("mapping", "GROUP_FAILED", message),
      })),
    };
  }
  if (fault !== undefined) {
    const at = (rows[fault.index] as GroupRow).line;
    const others = rowFailure(
      "mapping",
      "GROUP_FAILED",
      `${group}: line ${at} of the same event failed (${fault.failure.message}); the event is sent whole or not at all`,
    );
    return {
      ok: false,
      rows: rows.map((row, index) => ({
        ...row,
        failure: index === fault.index ? fault.failure : others,
      })),
    };
  }
  const drafts = results.map((r) => (r as EventMappingResult & { ok: true }).draft);
  const draft = first.ok ? first.draft : (drafts[0] as EventDraft);
  const items = drafts.flatMap((d) => d.items ?? []);
  return { ok: true, rows, draft: { ...draft, items } };
}
