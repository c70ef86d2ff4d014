import { hostname as osHostname } from "node:os";
import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";
import { EventTable, type Forgotten, forgetInSteps } from "./events.js";
import { FailureTable } from "./failures.js";
import { FileTable, type FinishedFile } from "./files.js";
import { IdentityTable } from "./identities.js";
import { bindKey, type KeyBinding } from "./key-binding.js";
import type { KnownRow, KnownRows } from "./known-rows.js";
import { judgeLock, type LockInfo, LockTable, StateLockedError } from "./lock.js";
import { claimFor, ownerOf, type StateCommand } from "./owner.js";
import { ProcessLock } from "./process-lock.js";
import { ReadSpan } from "./read-span.js";
import { type RunRequest, resumeRefusal } from "./resume.js";
import { RunHandle } from "./run-handle.js";
import { countsOf, type RunSummary, RunTable } from "./runs.js";
import { openStateDatabase } from "./schema.js";

export interface StateStoreOptions {
  /** Epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** This process, as written in the lock. Default `process.pid`. */
  readonly pid?: number;
  readonly hostname?: string;
  /** Takes the OS-level lock of the file. Default: ProcessLock.take (tests keep the handle to let go of it as a death would). */
  readonly takeLock?: (path: string) => ProcessLock | undefined;
  /** Rows known as read held in memory at most (identities.ts); past it, one lookup a row. */
  readonly knownRowsLimit?: number;
  /**
   * The known rows another connection read before the lock (early-rows.ts `takeEarlyRows`),
   * asked once the OS-level lock is held and before the store writes: null for none to take.
   */
  readonly earlyRows?: (limit: number) => KnownRows | undefined | null;
}

/** How a run ends. The report is kept as is; the counts are the store's own tally. */
export interface RunEnd {
  readonly report: object;
  readonly exitCode: number;
}

/** At most this many runs are kept in the history. */
export const KEEP_RUNS = 100;
/** Keys looked at in one step of forgetting events (a few ms; 2,000,000 events in 200 steps). */
const FORGET_STEP = 10_000;
const EMPTY_COUNTS = { rows: 0, accepted: 0, deadLettered: 0, unchanged: 0, filtered: 0 };

/**
 * The state file of `import-profiles --state`: the hash of what DFINERY last accepted for each
 * identity (to send only changed rows); or of `import-events --state`: the keys of the events
 * DFINERY accepted (to send only new events). And, for either, the progress of the current run (to resume it), a short
 * run history, and a lock (one importer per file). Synchronous, as better-sqlite3 is.
 */
export class StateStore {
  readonly #db: Database.Database;
  readonly #identities: IdentityTable;
  readonly #events: EventTable;
  readonly #failures: FailureTable;
  readonly #files: FileTable;
  readonly #runs: RunTable;
  readonly #lock: LockTable;
  /** The hot lookups' read transaction, ended before every write (read-span.ts). */
  readonly #reads: ReadSpan;
  readonly #now: () => number;
  readonly #pid: number;
  readonly #hostname: string;
  readonly #takeLock: (path: string) => ProcessLock | undefined;
  readonly #earlyRows: ((limit: number) => KnownRows | undefined | null) | undefined;
  #processLock: ProcessLock | undefined;
  #run: RunHandle | undefined;

  private constructor(
    readonly path: string,
    db: Database.Database,
    opts: StateStoreOptions,
  ) {
    this.#db = db;
    this.#identities = new IdentityTable(db, opts.knownRowsLimit);
    this.#events = new EventTable(db);
    this.#failures = new FailureTable(db);
    this.#files = new FileTable(db);
    this.#runs = new RunTable(db);
    this.#lock = new LockTable(db, path);
    this.#reads = new ReadSpan(db);
    this.#now = opts.now ?? Date.now;
    this.#pid = opts.pid ?? process.pid;
    this.#hostname = opts.hostname ?? osHostname();
    this.#takeLock = opts.takeLock ?? ProcessLock.take;
    this.#earlyRows = opts.earlyRows;
  }

  /** Opens or creates (mode 0600) a state file. Throws ImporterError E_USAGE for a foreign file. */
  static open(path: string, opts: StateStoreOptions = {}): StateStore {
    return new StateStore(path, openStateDatabase(path), opts);
  }

  /**
   * Takes the file's lock: the OS-level lock a process holds while it lives (process-lock.ts),
   * then the lock table's row saying who holds it. Throws StateLockedError while another process
   * holds it, or when the row names another host (whose imports cannot be checked). Returns the
   * row of a dead process it took over, for the caller to log; null when the file was free.
   */
  acquireLock(): LockInfo | null {
    const held = this.#takeLock(this.path);
    if (held === undefined) throw new StateLockedError(this.path, this.#lock.info(), true);
    try {
      // Before the lock's row, this process's first write under the lock: see early-rows.ts.
      const early = this.#earlyRows === undefined ? null : this.#earlyRows(this.#identities.limit);
      if (early !== null) this.#identities.offer(early);
      const me = { pid: this.#pid, hostname: this.#hostname, now: this.#now() };
      const takenOver = this.#reads.write(() => this.#lock.acquire(me));
      this.#processLock = held;
      return takenOver;
    } catch (error) {
      held.release();
      throw error;
    }
  }

  releaseLock(): void {
    this.#reads.write(() => this.#lock.release(this.#pid, this.#hostname));
    this.#processLock?.release();
    this.#processLock = undefined;
  }

  /** Whether a live import holds the file's lock now, or may (a row of another host): `status`. */
  lockHeld(): boolean {
    if (this.#processLock !== undefined || ProcessLock.isHeld(this.path)) return true;
    const holder = this.#lock.info();
    return holder !== null && judgeLock(holder, this.#hostname) === "unknown-host";
  }

  /** Removes the lock whoever holds it (after checking by hand that no import runs); returns it. */
  breakLock(): LockInfo | null {
    return this.#reads.write(() => this.#lock.break());
  }

  lockInfo(): LockInfo | null {
    return this.#lock.info();
  }

  /**
   * Binds the file to the key its hashes are keyed with (see KeyBinding). `rekey` (--full) starts
   * over a file keyed with another key; `readOnly` (a dry run) writes nothing.
   */
  bindKey(key: Buffer, options: { rekey: boolean; readOnly: boolean }): KeyBinding {
    const binding = this.#reads.write(() => bindKey(this.#db, this.path, key, options));
    this.#identities.forgetKnown();
    this.#failures.useKey(key);
    return binding;
  }

  /**
   * Claims the file for `command`; refuses (E_USAGE) a file the other command wrote. `readOnly`
   * (a dry run) only checks.
   */
  claimFor(command: StateCommand, readOnly: boolean): void {
    this.#reads.write(() => claimFor(this.#db, this.path, command, readOnly));
  }

  /** The command the file belongs to; null while no run has used it. */
  owner(): StateCommand | null {
    return ownerOf(this.#db);
  }

  /** Whether DFINERY accepted the event of this key (events.ts `eventKey`) in an earlier run. */
  knownEvent(key: string): boolean {
    return this.#reads.read(() => this.#events.has(key));
  }

  /** The greatest event key recorded (see events.ts): a greater key cannot be known. */
  newestEventKey(): string | undefined {
    return this.#events.newest();
  }

  eventCount(): number {
    return this.#events.count();
  }

  /**
   * Forgets the events accepted before `ms` (`import-events --keep-events`), whatever their own
   * time: such an event read again is sent again, with its same id. In steps of FORGET_STEP
   * keys, each its own transaction, the event loop let in between: once `stop` is aborted it
   * stops after the step in hand, and the next run that forgets forgets the rest.
   */
  forgetEventsAcceptedBefore(ms: number, stop?: AbortSignal): Promise<Forgotten> {
    const step = (after: string) =>
      this.#reads.write(() => this.#events.forgetStep(ms, after, FORGET_STEP));
    return forgetInSteps(step, stop);
  }

  /** Hash of the properties DFINERY last accepted for this identity key. The diff's hot path. */
  lastHash(key: string): string | undefined {
    return this.#reads.read(() => this.#identities.get(key));
  }

  /**
   * Whether the row of this key (row-key.ts) is known unchanged from memory, unknown, or to be
   * asked of the file (`heldBy`): see IdentityTable.known. The nightly run's hot path: no lookup.
   */
  knownRow(rowKey: string): KnownRow {
    return this.#identities.known(rowKey);
  }

  /** The known rows `knownRow` answers from (read now if not yet); undefined past the memory bound. */
  knownRows(): KnownRows | undefined {
    return this.#identities.held();
  }

  /** A unit of this identity took its turn or was accepted: its known row is asked of the file. */
  touch(identityKey: string): void {
    this.#reads.read(() => this.#identities.touch(identityKey));
  }

  /**
   * The identity key whose stored hash the row of this key (row-key.ts) maps to: the row is
   * unchanged unless a unit of that identity is still in flight. One lookup, in the same read
   * span as the diff's.
   */
  heldBy(rowKey: string): string | undefined {
    return this.#reads.read(() => this.#identities.heldBy(rowKey));
  }

  identityCount(): number {
    return this.#identities.count();
  }

  /**
   * Starts a run, or resumes the latest unfinished one. "new" abandons an unfinished run.
   * "resume" refuses (E_USAGE) when there is none, or its input or mapping fingerprint differs.
   * Needs the lock.
   */
  beginRun(request: RunRequest): RunHandle {
    if (this.#processLock === undefined)
      throw internal("beginRun needs the lock: call acquireLock first");
    if (this.#run !== undefined && !this.#run.ended) {
      throw internal(`run #${this.#run.runId} is still open`);
    }
    const begin = this.#db.transaction((): RunHandle => {
      const now = this.#now();
      const common = {
        db: this.#db,
        runs: this.#runs,
        identities: this.#identities,
        events: this.#events,
        reads: this.#reads,
        now: this.#now,
      };
      if (request.mode === "resume") {
        const unfinished = this.#runs.latestUnfinished();
        const refusal = resumeRefusal(this.path, request, unfinished, this.#runs.latest());
        if (refusal !== null || unfinished === undefined) {
          throw new ImporterError("E_USAGE", refusal ?? "nothing to resume");
        }
        this.#runs.markResumed(unfinished.id);
        return new RunHandle({
          ...common,
          runId: unfinished.id,
          resumed: true,
          carried: countsOf(unfinished),
          prior: {
            watermark: unfinished.watermark,
            lines: this.#runs.doneLinesAbove(unfinished.id, unfinished.watermark),
            readTo: unfinished.read_to,
            open: JSON.parse(unfinished.open_lines) as number[],
          },
          abandonedRunIds: [],
        });
      }
      const abandonedRunIds = this.#runs.abandonUnfinished(now);
      const runId = this.#runs.insert(
        request.input,
        request.inputFingerprint,
        request.mappingFingerprint,
        now,
      );
      this.#runs.prune(KEEP_RUNS);
      return new RunHandle({
        ...common,
        runId,
        resumed: false,
        carried: EMPTY_COUNTS,
        prior: { watermark: 0, lines: [] },
        abandonedRunIds,
      });
    });
    this.#run = this.#reads.write(() => begin.immediate());
    return this.#run;
  }

  /**
   * Records that a row of the open run failed for good with `error` (its stage, code and field);
   * true when an earlier run saw the same row fail the same way: it is still failing, not news.
   */
  noteFailure(runId: number, row: unknown, error: string): boolean {
    const run = this.#active(runId);
    return this.#reads.write(() => this.#failures.note(row, error, run.runId));
  }

  /** Whether a run finished this file (of a run of several) as it is now, under this mapping. */
  finishedFile(file: FinishedFile, mappingFingerprint: string): boolean {
    return this.#files.finished(file, mappingFingerprint);
  }

  /**
   * The files the open run read to the end: `finished` (no row dead-lettered) are remembered,
   * `unfinished` forgotten (read again next time), in one commit.
   */
  recordFiles(
    runId: number,
    files: { readonly finished: readonly FinishedFile[]; readonly unfinished: readonly string[] },
    mappingFingerprint: string,
  ): void {
    const run = this.#active(runId);
    const now = this.#now();
    const record = this.#db.transaction(() => {
      for (const file of files.finished) this.#files.put(file, mappingFingerprint, run.runId, now);
      for (const path of files.unfinished) this.#files.forget(path);
    });
    this.#reads.write(() => record());
  }

  /** The run reached the end of its input: it is finished and can no longer be resumed. */
  finishRun(runId: number, end: RunEnd): RunSummary {
    const run = this.#active(runId);
    if (run.inFlight > 0) {
      throw internal(`run #${runId} cannot finish with ${run.inFlight} rows in flight`);
    }
    const summary = this.#end(run, "finished", end);
    this.#failures.forgetBefore(runId); // it saw every row: older failures are fixed or gone
    return summary;
  }

  /**
   * The run stopped before the end of its input (fatal API answer, interrupt, unreadable input):
   * its counts and report are saved, status "stopped", and it stays resumable.
   */
  suspendRun(runId: number, end: RunEnd): RunSummary {
    return this.#end(this.#active(runId), "stopped", end);
  }

  /** The newest runs first. */
  history(limit = 10): RunSummary[] {
    return this.#runs.history(limit);
  }

  /**
   * Writes what an open run still holds in memory (it stays "running", so resumable), releases
   * the lock if held, and closes the file.
   */
  close(): void {
    if (this.#db.open) {
      this.#reads.end();
      if (this.#run !== undefined && !this.#run.ended) {
        this.#run.settle();
        this.#run.end();
      }
      if (this.#processLock !== undefined) this.releaseLock();
      this.#db.close();
    }
  }

  #active(runId: number): RunHandle {
    const run = this.#run;
    if (run === undefined || run.runId !== runId || run.ended) {
      throw internal(`run #${runId} is not the open run`);
    }
    return run;
  }

  #end(run: RunHandle, status: "finished" | "stopped", end: RunEnd): RunSummary {
    const record = this.#db.transaction(() => {
      const progress = run.settle();
      this.#runs.end(run.runId, status, progress, this.#now(), end.exitCode, end.report);
    });
    this.#reads.write(() => record());
    run.end();
    const summary = this.#runs.get(run.runId);
    if (summary === undefined) throw internal(`run #${run.runId} vanished`);
    return summary;
  }
}

function internal(message: string): ImporterError {
  return new ImporterError("E_INTERNAL", message);
}
