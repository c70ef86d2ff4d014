import type { Identity } from "../api/dfinery.js";
import type { RowFailure } from "../errors.js";
import type { AcceptedRow, KnownRow, KnownRows, RunHandle } from "../state/index.js";
import {
  eventKey,
  identityHash,
  propertiesHash,
  type RowKeys,
  stateFileError,
} from "../state/index.js";
import type { FileBook } from "./file-book.js";

/** What the diff found for a row about to be sent. */
export type Diff =
  | { readonly unchanged: true }
  | {
      readonly unchanged: false;
      readonly key: string;
      readonly hash: string;
      /** The key of the row as read, when the unit is one row of known key (recorded when accepted). */
      readonly rowKey: string | undefined;
    };

/** What the state needs of an event: its id and its time. */
export interface IdentifiedEvent {
  readonly event_log_id: string;
  readonly event_datetime: string;
}

/**
 * The questions a run asks of its state file (`--state`); a run without it asks NO_STATE. The
 * engine asks the first four of every kind; a kind asks its own (kinds/*.ts).
 */
export interface RunState {
  /** A run of several files: whether its `index`-th file is not read (finished, unchanged since). */
  skipFile(index: number): boolean;
  /** Called for every row in read order (by the line it was read at). True: done before; skip it. */
  skip(at: number): boolean;
  /** A row whose unit an earlier run had accepted. */
  unchanged(at: number): void;
  /**
   * Every row an interrupted pass of this run may have done is at or before this line: `skip`
   * answers false after it (0 for a new run).
   */
  readonly doneThrough: number;
  /**
   * Rows read and ended unchanged at once (a run of rows known as read), as `skip` then
   * `unchanged` of each row at `atOf(from)` .. `atOf(to - 1)` in turn would: increasing, all after
   * `doneThrough`. Commits as those calls would (run-handle.ts `readUnchanged`).
   */
  readUnchanged(atOf: (i: number) => number, from: number, to: number): void;
  /** A row the mapping's `where` left out: done, nothing sent, nothing stored but its line. */
  filtered(at: number): void;
  /** Rows dead-lettered together (one unit's rows), in one commit. */
  deadLetteredRows(ats: readonly number[]): void;
  /**
   * A row failed for good: true when an earlier run saw this same row fail the same way (it is
   * still failing, not news). Recorded for the next run.
   */
  stillFailing(row: unknown, failure: RowFailure): boolean;
  /**
   * Whether DFINERY already holds exactly `held` for this identity (profiles: its properties;
   * identities: the linked set; deletes: its deletion). Must be asked when the row's turn comes
   * (after earlier rows of the same identity), not when it is read.
   */
  diff(identity: Identity, held: object, rowKey?: string): Diff;
  /**
   * The key of a row as read (state/row-key.ts), to know it unchanged before mapping it
   * (`heldBy`) and to record with its hash; undefined when rows are not keyed (no state file,
   * or cells the key cannot name).
   */
  rowKey(cells: Readonly<Record<string, unknown>>, format: string): string | undefined;
  /**
   * Whether the row of this key is known unchanged without a lookup ("known": the file knew it
   * when the run began, and no unit of its identity has taken its turn or been accepted since),
   * "unknown" (also with --full), or "touched": ask `heldBy`.
   */
  knownRow(rowKey: string): KnownRow;
  /**
   * The identity key whose stored hash the row of this key maps to: the row is unchanged if no
   * unit of that identity is in flight. Undefined: unknown, or --full.
   */
  heldBy(rowKey: string): string | undefined;
  /** A unit of this identity took its turn: its row known as read is asked of the file from now on. */
  touch(identityKey: string): void;
  /**
   * What a diff worker (diff-source.ts) needs to know rows as read as this run does: the row keys'
   * secret prefix, and the known rows (read when asked, once the worker has started), whose
   * touched marks stay this thread's. Undefined when rows are not keyed or with --full; `rows()`
   * undefined when no row is known from memory (past the memory bound, none known).
   */
  diffShare?(): DiffShare | undefined;
  /** The key under which the state file remembers an identity. */
  identityKey(identity: Identity): string;
  /**
   * A row accepted, with what the diff found: queued, and written with the other rows accepted
   * before the next `flushAccepted` (one commit, not one a row). Until then the row is not done
   * (a commit of other rows keeps the watermark below it) and its identity's hash is not read
   * from the file: asking the diff about that identity writes the queue first.
   */
  accepted(at: number, diff: Diff): void;
  /** Writes the accepted rows queued (once per turn of the event loop, and at the run's end). */
  flushAccepted(): void;
  /** Events: whether an earlier run had this event accepted (always false with --full). */
  knownEvent(event: IdentifiedEvent): boolean;
  /** Events: a request's events were accepted: they and the rows they came from, in one commit. */
  acceptedEvents(ats: readonly number[], events: readonly IdentifiedEvent[]): void;
}

/** See RunState.diffShare. */
export interface DiffShare {
  readonly prefix: string;
  /** The delimiter the row keys write texts with. */
  readonly delimiter: string;
  rows(): KnownRows | undefined;
}

const CHANGED: Diff = { unchanged: false, key: "", hash: "", rowKey: undefined };
/** The answer for most rows of a nightly run: one object, not one a row. */
const UNCHANGED: Diff = { unchanged: true };
const UNCHANGED_ROW = { kind: "unchanged" } as const;
const FILTERED_ROW = { kind: "filtered" } as const;

export const NO_STATE: RunState = {
  skipFile: () => false,
  skip: () => false,
  unchanged: () => {},
  doneThrough: 0,
  readUnchanged: () => {},
  filtered: () => {},
  deadLetteredRows: () => {},
  stillFailing: () => false,
  diff: () => CHANGED,
  rowKey: () => undefined,
  knownRow: () => "unknown",
  heldBy: () => undefined,
  touch: () => {},
  identityKey: () => "",
  accepted: () => {},
  flushAccepted: () => {},
  knownEvent: () => false,
  acceptedEvents: () => {},
};

export interface HashSource {
  /** The state file, for messages. */
  readonly path: string;
  lastHash(key: string): string | undefined;
  knownRow(rowKey: string): KnownRow;
  /** The known rows `knownRow` answers from (read now if not yet); undefined past the bound. */
  knownRows?(): KnownRows | undefined;
  heldBy(rowKey: string): string | undefined;
  touch(identityKey: string): void;
  knownEvent(key: string): boolean;
  newestEventKey(): string | undefined;
  noteFailure(runId: number, row: unknown, error: string): boolean;
}

/**
 * The run's link to the state store, for every kind. `full`: send everything (the hashes, or event keys, are still refreshed).
 * `handle` null: a dry run, which reads the hashes to count unchanged rows and writes nothing.
 * `key`: the state key the hashes are keyed with; `rows`: the keys of rows as read (absent: none).
 */
export class StateLink implements RunState {
  /** Events asked about → their keys, so an event sent is keyed once. */
  readonly #eventKeys = new WeakMap<IdentifiedEvent, string>();
  /** The greatest event key the file held when first asked: "" for none. */
  #newest: string | undefined;
  /** Rows accepted and not yet written (`accepted`), and their identities' keys. */
  #queued: AcceptedRow[] = [];
  readonly #queuedKeys = new Set<string>();

  constructor(
    readonly store: HashSource,
    readonly handle: RunHandle | null,
    readonly full: boolean,
    readonly key: Buffer,
    /** A run of several files: which it skips, which it finished. */
    readonly files?: FileBook,
    readonly rows?: RowKeys,
  ) {}

  skipFile(index: number): boolean {
    return this.files?.skip(index) ?? false;
  }

  /** Asked of every row read (a nightly run's hot path): no closure a row, as #guard would make. */
  skip(line: number): boolean {
    if (this.handle === null) return false;
    try {
      return this.handle.noteRead(line);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  get doneThrough(): number {
    return this.handle?.doneThrough ?? 0;
  }

  readUnchanged(atOf: (i: number) => number, from: number, to: number): void {
    if (this.handle === null) return;
    try {
      this.handle.readUnchanged(atOf, from, to);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  diff(identity: Identity, held: object, rowKey?: string): Diff {
    const key = identityHash(identity, this.key);
    if (this.#queuedKeys.has(key)) this.flushAccepted(); // its hash as accepted, not as before
    const hash = propertiesHash(held, this.key);
    if (this.full || this.#lastHash(key) !== hash) return { unchanged: false, key, hash, rowKey };
    // Found unchanged by mapping it: next time the row is known as read.
    if (rowKey !== undefined && this.handle !== null) this.handle.noteRaw(rowKey, key, hash);
    return UNCHANGED;
  }

  rowKey(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    return this.rows?.of(cells, format);
  }

  /** The nightly run's hot path: no closure a row, as #guard would make. */
  knownRow(rowKey: string): KnownRow {
    if (this.full) return "unknown";
    try {
      return this.store.knownRow(rowKey);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  touch(identityKey: string): void {
    this.store.touch(identityKey);
  }

  diffShare(): DiffShare | undefined {
    const keys = this.rows;
    if (this.full || keys === undefined) return undefined;
    const rows = () => {
      const known = this.#guard(() => this.store.knownRows?.());
      return known === undefined || known.size === 0 ? undefined : known;
    };
    return { prefix: keys.prefix, delimiter: keys.delimiter, rows };
  }

  heldBy(rowKey: string): string | undefined {
    if (this.full) return undefined;
    try {
      const key = this.store.heldBy(rowKey);
      if (key === undefined || !this.#queuedKeys.has(key)) return key;
      this.flushAccepted(); // the identity's hash as accepted since: asked again
      return this.store.heldBy(rowKey);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  identityKey(identity: Identity): string {
    return identityHash(identity, this.key);
  }

  /** The diff's hot path: no closure a row, as #guard would make. */
  #lastHash(key: string): string | undefined {
    try {
      return this.store.lastHash(key);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  accepted(line: number, diff: Diff): void {
    if (diff.unchanged) throw new Error("an unchanged row cannot be accepted");
    if (this.handle === null) return;
    const { key, hash, rowKey } = diff;
    this.store.touch(key); // its rows known as read: asked of the file, which writes the queue first
    this.#queued.push({ line, identityHash: key, propertiesHash: hash, rowKey });
    this.#queuedKeys.add(key);
  }

  flushAccepted(): void {
    const rows = this.#queued;
    if (rows.length === 0) return;
    this.#queued = [];
    this.#queuedKeys.clear();
    this.#guard(() => this.handle?.completeAccepted(rows));
  }

  unchanged(line: number): void {
    if (this.handle !== null) this.#complete(this.handle, line, UNCHANGED_ROW);
  }

  filtered(line: number): void {
    if (this.handle !== null) this.#complete(this.handle, line, FILTERED_ROW);
  }

  /** A row that ended without a request (most rows of a nightly run): no closure a row. */
  #complete(handle: RunHandle, line: number, outcome: typeof UNCHANGED_ROW | typeof FILTERED_ROW) {
    try {
      handle.complete(line, outcome);
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }

  /**
   * Keys start with the event's time, so an event newer than any the file held when the run
   * began (in a nightly export, every new one) is known without a lookup not to be known.
   */
  knownEvent(event: IdentifiedEvent): boolean {
    const key = this.#eventKey(event);
    if (this.full) return false;
    this.#newest ??= this.#guard(() => this.store.newestEventKey()) ?? "";
    return key <= this.#newest && this.#guard(() => this.store.knownEvent(key));
  }

  acceptedEvents(ats: readonly number[], events: readonly IdentifiedEvent[]): void {
    if (this.handle === null) return;
    const eventKeys = events.map((event) => this.#eventKey(event));
    this.#guard(() => this.handle?.completeAll(ats, { kind: "accepted", eventKeys }));
  }

  deadLetteredRows(ats: readonly number[]): void {
    this.files?.deadLettered(ats);
    this.#guard(() => this.handle?.completeAll(ats, { kind: "dead-lettered" }));
  }

  #eventKey(event: IdentifiedEvent): string {
    let key = this.#eventKeys.get(event);
    if (key === undefined) {
      key = eventKey(event, this.key);
      this.#eventKeys.set(event, key);
    }
    return key;
  }

  stillFailing(row: unknown, failure: RowFailure): boolean {
    if (this.handle === null) return false; // a dry run records nothing
    const error = `${failure.stage}:${failure.code}:${failure.field ?? ""}`;
    const runId = this.handle.runId;
    try {
      return this.#guard(() => this.store.noteFailure(runId, row, error));
    } catch (problem) {
      if (problem instanceof RangeError) return false; // a row nested too deeply to hash: news
      throw problem;
    }
  }

  /** A state file that fails under the run (locked, damaged, a full disk) stops it cleanly, named. */
  #guard<T>(call: () => T): T {
    try {
      return call();
    } catch (error) {
      throw stateFileError(this.store.path, error, "E_OUTPUT");
    }
  }
}
