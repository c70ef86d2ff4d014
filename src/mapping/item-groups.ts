/**
 * CSV `items.group_by`: consecutive rows with the same value in the group column are one event,
 * one item per row. The event's own fields come from the group's first row; a row whose event
 * fields (identity, name, datetime, properties, id) disagree with the first's, or that cannot be
 * mapped, fails the whole group: every row of it is dead-lettered, naming the row at fault. A row
 * whose group value is empty is an event of its own. A record that cannot be read at all (its
 * group value unknown) fails the group open before it, and, when the next row starts another
 * group, that one too: it may have been either's, and an event is sent whole or not at all.
 *
 * A group value that comes back after its group was closed by other rows (`closed`, the run's
 * record of closed values) fails every row of its later part (`GROUP_SPLIT`, naming both line
 * ranges): the earlier part was finished as an event of its own when it closed, and may have been
 * sent; the later part can never be sent whole with it. A group holds at most `maxRows` rows: past
 * them it can never be sent (one item per row, over the API's items per request), so its rows are
 * failed as they come instead of held. Pure: rows in, finished groups out; memory holds one group
 * of at most `maxRows` rows (and what `closed` keeps).
 */
import type { RowFailure } from "../errors.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { EventMappingResult } from "./apply-event.js";
import { type ClosedGroups, MemoryClosedGroups } from "./closed-groups.js";
import { type Group, type GroupRow, groupFate, type OpenGroup } from "./group-fate.js";

export type { Group, GroupRow } from "./group-fate.js";

export interface ItemGroupsOptions {
  /** The most rows a group can have and still be sent (the API's items per request). */
  readonly maxRows: number;
  /** The group values closed so far in the run; default: a Map in memory. */
  readonly closed?: ClosedGroups;
}

export class ItemGroups<R extends GroupRow = GroupRow> {
  #open: OpenGroup<R> | undefined;
  /** An unreadable record the next group may own (it came after a group closed, or first). */
  #suspect: OpenGroup<R>["suspect"];
  readonly #maxRows: number;
  readonly #closed: ClosedGroups;

  constructor(
    readonly column: string,
    options: ItemGroupsOptions,
  ) {
    this.#maxRows = options.maxRows;
    this.#closed = options.closed ?? new MemoryClosedGroups();
  }

  /** Adds a row with its group value; gives the group it finished (or the rows it failed), if any. */
  push(key: unknown, row: R, result: EventMappingResult): Group<R> | undefined {
    const open = this.#open;
    const text = groupValue(key);
    if (open !== undefined && text !== undefined && open.key === text) {
      this.#suspect = undefined; // the unreadable record was inside this group: it has failed it
      return this.#add(open, row, result);
    }
    // An empty group value is no group: the row is an event of its own.
    const next = this.#start(text ?? Symbol("own"), row, result);
    if (this.#suspect !== undefined) next.suspect = this.#suspect;
    this.#suspect = undefined;
    return open === undefined ? undefined : this.#close(open);
  }

  /**
   * A record that could not be read (its group value unknown): dead-lettered with the group open
   * before it, which it fails; the next group fails too unless the next row continues this one.
   */
  pushUnreadable(row: R, failure: RowFailure): Group<R> | undefined {
    const open = this.#open;
    this.#suspect = { line: row.line, failure };
    // The first record: it can only have been the next group's. Dead-lettered alone, as its own group.
    if (open === undefined) this.#start(Symbol("unreadable"), row, { ok: false, failure });
    else return this.#add(open, row, { ok: false, failure });
    return undefined;
  }

  /** The last group, at the end of the input. */
  flush(): Group<R> | undefined {
    const open = this.#open;
    this.#open = undefined;
    return open === undefined ? undefined : this.#close(open);
  }

  #start(key: unknown, row: R, result: EventMappingResult): OpenGroup<R> {
    const real = typeof key !== "symbol";
    const label = real ? `group ${this.column} = ${JSON.stringify(key ?? "")}` : "the row";
    const open: OpenGroup<R> = {
      key,
      label,
      first: row.line,
      last: row.line,
      rows: [row],
      results: [result],
    };
    const earlier = typeof key === "string" ? this.#closed.earlier(key) : undefined;
    if (earlier !== undefined) open.earlier = earlier;
    this.#open = open;
    return open;
  }

  /** A further row of the open group: held, or failed at once once the group has overflowed. */
  #add(open: OpenGroup<R>, row: R, result: EventMappingResult): Group<R> | undefined {
    open.last = row.line;
    if (open.overflow !== undefined)
      return { ok: false, rows: [{ ...row, failure: open.overflow }] };
    open.rows.push(row);
    open.results.push(result);
    if (open.rows.length <= this.#maxRows) return undefined;
    // It can never be sent: its rows so far fail now, the rest as they come.
    const fate = groupFate(open, this.#maxRows, true);
    open.overflow = fate.others;
    open.rows.length = 0;
    open.results.length = 0;
    return fate.group;
  }

  #close(open: OpenGroup<R>): Group<R> | undefined {
    if (typeof open.key === "string") this.#closed.close(open.key, open.first, open.last);
    if (open.overflow !== undefined) return undefined; // its rows have all been failed
    return groupFate(open, this.#maxRows, false).group;
  }
}

/** A group value as text; undefined when empty (the row is an event of its own). */
export function groupValue(key: unknown): string | undefined {
  if (key === undefined || key === null) return undefined;
  const text = typeof key === "string" ? key : canonicalJson(key);
  return text.trim() === "" ? undefined : text;
}

/** A group value that makes a group: an empty one makes the row an event of its own. */
export const isGroupKey = (key: unknown): boolean => groupValue(key) !== undefined;

export const sameKey = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === "object" && canonicalJson(a) === canonicalJson(b));
