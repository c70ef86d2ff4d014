import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";
import type { EventTable } from "./events.js";
import type { IdentityTable } from "./identities.js";
import { type DoneSet, Progress } from "./progress.js";
import type { ReadSpan } from "./read-span.js";
import type { RunCounts, RunProgress, RunTable } from "./runs.js";

/** How a row ended. Only "accepted" changes the remembered hash; "filtered": left out by `where`. */
export type Outcome =
  | {
      readonly kind: "accepted";
      readonly identityHash: string;
      readonly propertiesHash: string;
      /** The key of the accepted row as read (row-key.ts), when it was one row of known key. */
      readonly rowKey?: string | undefined;
    }
  | { readonly kind: "dead-lettered" }
  | { readonly kind: "unchanged" }
  | { readonly kind: "filtered" };

/** A row accepted, as `completeAccepted` records it with others in one commit. */
export interface AcceptedRow {
  readonly line: number;
  readonly identityHash: string;
  readonly propertiesHash: string;
  /** The key of the accepted row as read (row-key.ts), when it was one row of known key. */
  readonly rowKey?: string | undefined;
}

/**
 * How the rows of one request ended together (import-events: a batch's events, or the rows of one
 * refused event). Accepted events are remembered by their keys (events.ts).
 */
export type BatchOutcome =
  | { readonly kind: "accepted"; readonly eventKeys: readonly string[] }
  | { readonly kind: "dead-lettered" };

type Written =
  | Outcome
  | BatchOutcome
  | { readonly kind: "rows"; readonly rows: readonly AcceptedRow[] };

/** Unchanged rows are written with the next commit, or after this many of them, or this long. */
const UNCHANGED_BATCH = 5_000;
const UNCHANGED_MAX_AGE_MS = 1_000;
/** Done lines under the watermark are deleted every this many commits (and at the end). */
const COMPACT_EVERY = 64;

interface RunHandleInit {
  readonly db: Database.Database;
  readonly runs: RunTable;
  readonly identities: IdentityTable;
  readonly events: EventTable;
  readonly reads: ReadSpan;
  readonly now: () => number;
  readonly runId: number;
  readonly resumed: boolean;
  readonly carried: RunCounts;
  readonly prior: DoneSet;
  readonly abandonedRunIds: readonly number[];
}

/**
 * The progress of the run in hand. Made by `StateStore.beginRun`.
 *
 * Durability: every commit writes one consistent snapshot: the accepted hash or dead-lettered line
 * it is for (or the accepted events and rows of one request), every unchanged row completed since the last commit, the watermark and the counts.
 * So after a kill -9 the file holds everything up to the last commit, and only rows completed
 * after it are done again. For accepted and dead-lettered rows that is none: each commits at once.
 * For unchanged rows it is safe: no hash changed since (any hash change is a commit that would
 * have carried them), so on resume they are found unchanged again and not sent.
 */
export class RunHandle {
  readonly runId: number;
  readonly resumed: boolean;
  /** Counts the interrupted passes left (zeros for a new run). */
  readonly carried: RunCounts;
  /** Unfinished runs this new run abandoned (to log them). */
  readonly abandonedRunIds: readonly number[];
  /** Every row the interrupted passes read up to this one is done (0 for a new run). */
  readonly priorWatermark: number;

  readonly #runs: RunTable;
  readonly #identities: IdentityTable;
  readonly #reads: ReadSpan;
  readonly #now: () => number;
  readonly #progress: Progress;
  /** Unchanged and filtered rows completed since the last commit (written with the next). */
  #pending = 0;
  /** Rows of known key found unchanged (by their hash) since the last commit: [raw, key, hash]. */
  readonly #rawNotes: (readonly [string, string, string])[] = [];
  readonly #commit: (written: Written | null) => void;
  #accepted: number;
  #deadLettered: number;
  #unchanged: number;
  #filtered: number;
  #lastCommit: number;
  #commits = 0;
  #ended = false;

  /** @internal */
  constructor(init: RunHandleInit) {
    this.runId = init.runId;
    this.resumed = init.resumed;
    this.carried = init.carried;
    this.abandonedRunIds = init.abandonedRunIds;
    this.priorWatermark = init.prior.watermark;
    this.#runs = init.runs;
    this.#identities = init.identities;
    this.#reads = init.reads;
    this.#now = init.now;
    this.#progress = new Progress(init.prior);
    this.#accepted = init.carried.accepted;
    this.#deadLettered = init.carried.deadLettered;
    this.#unchanged = init.carried.unchanged;
    this.#filtered = init.carried.filtered;
    this.#lastCommit = this.#now();
    this.#commit = init.db.transaction((written: Written | null) => {
      const snapshot = this.snapshot();
      if (written?.kind === "rows") {
        for (const row of written.rows) {
          this.#identities.upsert(row.identityHash, row.propertiesHash, row.rowKey ?? null);
        }
      } else if (written?.kind === "accepted") {
        if ("eventKeys" in written) {
          const at = this.#now();
          for (const key of written.eventKeys) init.events.insert(key, at);
        } else {
          const { identityHash, propertiesHash, rowKey } = written;
          this.#identities.upsert(identityHash, propertiesHash, rowKey ?? null);
        }
      }
      for (const [raw, key, hash] of this.#rawNotes) this.#identities.noteRaw(raw, key, hash);
      // The rows done are in the snapshot: every line up to readTo but the open ones.
      this.#runs.saveProgress(this.runId, snapshot);
      if (++this.#commits % COMPACT_EVERY === 0) this.#runs.compact(this.runId, snapshot.watermark);
    });
  }

  /** Was this line done by an interrupted pass of this run? Then skip the row. */
  isDone(line: number): boolean {
    return this.#progress.isDone(line);
  }

  /** Call for every row, in read order, skipped ones included. Returns `isDone(line)`. */
  noteRead(line: number): boolean {
    this.#open();
    return this.#progress.noteRead(line);
  }

  /** A row ended. Accepted and dead-lettered rows are on disk when this returns. */
  complete(line: number, outcome: Outcome): void {
    this.#open();
    this.#progress.complete(line);
    switch (outcome.kind) {
      case "accepted":
        this.#accepted++;
        this.#flush(outcome);
        return;
      case "dead-lettered":
        this.#deadLettered++;
        this.#flush(null);
        return;
      case "unchanged":
      case "filtered":
        // Neither changes a hash: written with the next commit, as unchanged rows are.
        if (outcome.kind === "unchanged") this.#unchanged++;
        else this.#filtered++;
        this.#pending++;
        if (
          this.#pending >= UNCHANGED_BATCH ||
          this.#now() - this.#lastCommit >= UNCHANGED_MAX_AGE_MS
        ) {
          this.#flush(null);
        }
    }
  }

  /** Every line the interrupted passes may have done is at most this: rows after it are new. */
  get doneThrough(): number {
    return this.#progress.doneThrough;
  }

  /**
   * Rows read and ended unchanged at once (a run of rows known as read): as `noteRead` then
   * `complete(line, unchanged)` of each line `lineAt(from)` .. `lineAt(to - 1)` in turn would,
   * with a commit after the same rows: the one that fills UNCHANGED_BATCH, and the first once the
   * last commit is UNCHANGED_MAX_AGE_MS old (the clock read once for the rows up to the next
   * commit, not once a row: nothing else runs meanwhile). The lines increase, all after
   * `doneThrough`.
   */
  readUnchanged(lineAt: (i: number) => number, from: number, to: number): void {
    this.#open();
    const progress = this.#progress;
    for (let i = from; i < to; ) {
      const old = this.#now() - this.#lastCommit >= UNCHANGED_MAX_AGE_MS;
      const end = old ? i + 1 : Math.min(to, i + UNCHANGED_BATCH - this.#pending);
      const first = lineAt(i);
      let last = first;
      for (let k = i + 1; k < end; k++) {
        const line = lineAt(k);
        if (!(line > last)) {
          throw new ImporterError("E_INTERNAL", `rows must increase: ${line} after ${last}`);
        }
        last = line;
      }
      const count = end - i;
      progress.readCompleted(first, last, count);
      this.#unchanged += count;
      this.#pending += count;
      i = end;
      if (old || this.#pending >= UNCHANGED_BATCH) this.#flush(null);
    }
  }

  /**
   * Rows accepted by several requests (the answers of one turn of the event loop): their hashes,
   * all on disk in one commit when this returns. A row's line is done only in that commit, so
   * until it a commit of other rows keeps the watermark below it (run-handle's durability holds).
   */
  completeAccepted(rows: readonly AcceptedRow[]): void {
    this.#open();
    if (rows.length === 0) return;
    for (const { line } of rows) this.#progress.complete(line);
    this.#accepted += rows.length;
    this.#flush({ kind: "rows", rows });
  }

  /**
   * The row of key `raw` was found to map to the hash `key` holds (unchanged): written with the
   * next commit, where the identity still holds that hash (a later row may have changed it).
   * Losing one to a kill -9 costs only a mapping next time.
   */
  noteRaw(raw: string, key: string, hash: string): void {
    this.#open();
    this.#rawNotes.push([raw, key, hash]);
  }

  /**
   * Rows that ended together with one request: all on disk, with the accepted events' keys, in
   * one commit when this returns (import-events commits once per request, not once per row).
   */
  completeAll(lines: readonly number[], outcome: BatchOutcome): void {
    this.#open();
    for (const line of lines) this.#progress.complete(line);
    if (outcome.kind === "accepted") this.#accepted += lines.length;
    else this.#deadLettered += lines.length;
    this.#flush(outcome);
  }

  /** Cumulative counts (carried ones included) and the watermark, as the next commit writes them. */
  snapshot(): RunProgress {
    return {
      watermark: this.#progress.watermark,
      readTo: this.#progress.readTo,
      open: this.#progress.open(),
      rows: Math.max(this.carried.rows, this.#progress.rowsRead),
      accepted: this.#accepted,
      deadLettered: this.#deadLettered,
      unchanged: this.#unchanged,
      filtered: this.#filtered,
    };
  }

  /** Rows read and not complete. */
  get inFlight(): number {
    return this.#progress.inFlight;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** @internal Writes pending unchanged rows and compacts; for finish, suspend and close. */
  settle(): RunProgress {
    this.#flush(null);
    const snapshot = this.snapshot();
    this.#runs.compact(this.runId, snapshot.watermark);
    return snapshot;
  }

  /** @internal */
  end(): void {
    this.#ended = true;
  }

  #flush(written: Written | null): void {
    this.#reads.write(() => this.#commit(written));
    this.#pending = 0;
    this.#rawNotes.length = 0;
    this.#lastCommit = this.#now();
  }

  #open(): void {
    if (this.#ended) {
      throw new ImporterError("E_INTERNAL", `run #${this.runId} has ended; begin another run`);
    }
  }
}
