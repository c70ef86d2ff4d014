/**
 * The group values (CSV `items.group_by`) whose groups a run has closed, with the lines of each
 * one's first part: a value seen again later is a split group (item-groups.ts). A run of a big
 * order export closes millions of values, so the run keeps them in its scratch database on disk
 * (run/scratch-groups.ts); this Map is for a library caller's small inputs and the tests.
 */

/** The first and last line of a group's rows. */
export interface Span {
  readonly first: number;
  readonly last: number;
}

export interface ClosedGroups {
  /** A group with this value closed (its first part is kept when a value closes twice). */
  close(key: string, first: number, last: number): void;
  /** The lines of the first closed group with this value, if one closed before. */
  earlier(key: string): Span | undefined;
}

export class MemoryClosedGroups implements ClosedGroups {
  readonly #spans = new Map<string, Span>();

  close(key: string, first: number, last: number): void {
    if (!this.#spans.has(key)) this.#spans.set(key, { first, last });
  }

  earlier(key: string): Span | undefined {
    return this.#spans.get(key);
  }
}
