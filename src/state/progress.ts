import { ImporterError } from "../errors.js";

/**
 * What an interrupted pass left done: every line ≤ watermark; every line ≤ `readTo` but the
 * `open` ones (schema 9: a few numbers a commit, whatever the rows completed since); and `lines`
 * above the watermark one by one (done_lines, as runs of schema 8 left them).
 */
export interface DoneSet {
  readonly watermark: number;
  readonly lines: Iterable<number>;
  readonly readTo?: number;
  readonly open?: Iterable<number>;
}

/**
 * Which rows of one pass are done, exact under out-of-order completion. Pure: no I/O.
 *
 * Rows are noted in read order by their source line (increasing, not contiguous: a header, blank
 * lines, multi-line records). The watermark is the highest read line such that every read line up
 * to it is complete. Memory holds only rows in flight (read, not complete), each with the line
 * read before it, so the watermark is the predecessor of the oldest row in flight.
 *
 * Lines done in an interrupted pass of the same run (`prior`) count as complete when read again.
 */
export class Progress {
  readonly #priorWatermark: number;
  readonly #priorLines: ReadonlySet<number>;
  readonly #priorReadTo: number;
  readonly #priorOpen: readonly number[];
  readonly #priorOpenSet: ReadonlySet<number>;
  /** Every line the interrupted pass may have done is at most this (0 for a new run). */
  readonly doneThrough: number;
  /**
   * Rows in flight → the line read before each; insertion order = line order. The newest row read
   * is kept apart while in flight (`#newest`, 0 when none), and put in the map only when a row
   * after it is read: most rows of a nightly run are completed as soon as read, and never enter it.
   */
  readonly #inFlight = new Map<number, number>();
  #newest = 0;
  #beforeNewest = 0;
  #lastRead = 0;
  #rowsRead = 0;

  constructor(prior: DoneSet = { watermark: 0, lines: [] }) {
    this.#priorWatermark = prior.watermark;
    this.#priorLines = new Set(prior.lines);
    this.#priorReadTo = prior.readTo ?? 0;
    this.#priorOpen = [...(prior.open ?? [])];
    this.#priorOpenSet = new Set(this.#priorOpen);
    let through = Math.max(this.#priorWatermark, this.#priorReadTo);
    for (const line of this.#priorLines) through = Math.max(through, line);
    this.doneThrough = through;
  }

  /** Was this line done in the interrupted pass? Such a row is skipped, not completed again. */
  isDone(line: number): boolean {
    return (
      line <= this.#priorWatermark ||
      (line <= this.#priorReadTo && !this.#priorOpenSet.has(line)) ||
      this.#priorLines.has(line)
    );
  }

  /**
   * Every line up to this one is done but the `open()` ones (with the watermark and any lines of
   * the interrupted pass noted one by one): this pass's last line read, or the interrupted
   * pass's, if it had read further.
   */
  get readTo(): number {
    return Math.max(this.#lastRead, this.#priorReadTo);
  }

  /**
   * The lines up to `readTo` not done: the rows in flight, and the interrupted pass's open lines
   * this pass has not read yet.
   */
  open(): number[] {
    const open = [...this.#inFlight.keys()];
    if (this.#newest !== 0) open.push(this.#newest);
    for (const line of this.#priorOpen) if (line > this.#lastRead) open.push(line);
    return open;
  }

  /** Notes a row as read; returns `isDone(line)`. */
  noteRead(line: number): boolean {
    if (!(line > this.#lastRead)) {
      throw new ImporterError(
        "E_INTERNAL",
        `rows must be noted in increasing line order: ${line} after ${this.#lastRead}`,
      );
    }
    const done = this.isDone(line);
    if (!done) {
      if (this.#newest !== 0) this.#inFlight.set(this.#newest, this.#beforeNewest);
      this.#newest = line;
      this.#beforeNewest = this.#lastRead;
    }
    this.#lastRead = line;
    this.#rowsRead++;
    return done;
  }

  /**
   * Rows read and completed at once (a run of them ended as read), as `noteRead` then `complete`
   * of each in turn would leave it: `first` to `last`, `count` lines, all after `doneThrough` (none
   * done before) and increasing, the caller has checked.
   */
  readCompleted(first: number, last: number, count: number): void {
    if (!(first > this.#lastRead && first > this.doneThrough)) {
      throw new ImporterError(
        "E_INTERNAL",
        `rows read at once must follow line ${this.#lastRead} and any done before: ${first}`,
      );
    }
    if (this.#newest !== 0) this.#inFlight.set(this.#newest, this.#beforeNewest);
    this.#newest = 0;
    this.#lastRead = last;
    this.#rowsRead += count;
  }

  complete(line: number): void {
    if (line === this.#newest) {
      this.#newest = 0;
      return;
    }
    if (!this.#inFlight.delete(line)) {
      throw new ImporterError("E_INTERNAL", `line ${line} is not in flight (never read, or done)`);
    }
  }

  /** Every read line ≤ this is complete (or was done before). Never below the prior watermark. */
  get watermark(): number {
    const oldest = this.#inFlight.values().next();
    let own = this.#lastRead;
    if (!oldest.done) own = oldest.value;
    else if (this.#newest !== 0) own = this.#beforeNewest;
    return Math.max(own, this.#priorWatermark);
  }

  get inFlight(): number {
    return this.#inFlight.size + (this.#newest === 0 ? 0 : 1);
  }

  /** Rows read in this pass, those done before included. */
  get rowsRead(): number {
    return this.#rowsRead;
  }
}
