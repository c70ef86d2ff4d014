/**
 * The books of one run, of every kind (run.ts):
 * what became of each input row (accepted, unchanged, filtered, dead-lettered, not attempted), why the run
 * stopped, the dead-letter file, and the report made of them. Every row is counted once, so the
 * report balances whenever it is taken.
 */
import { setMaxListeners } from "node:events";
import { RESULT_CODES } from "../api/dfinery.js";
import type { RowFailure } from "../errors.js";
import { DeadLetterFile, type DeadLetterRecord } from "../sinks/dead-letter.js";
import { FailingColumns } from "../sinks/failing-columns.js";
import { FS_WRITE } from "../sinks/own-file.js";
import { endpointSecrets, Redactor } from "../sinks/redact.js";
import type { FilesSkipped, Report, StoppedBy, StopReason } from "../sinks/report.js";
import { ChurnMap } from "../util/churn-map.js";
import type { CarriedCounts, DeliveryConfig, RunConfig, RunDeps } from "./config.js";
import { listenForStops, stopOf } from "./stop.js";

/** What the books need of the run's config: the files, and (redacted from dead letters) the token. */
export type LedgerOptions = Pick<
  RunConfig,
  "input" | "inputs" | "deadLetterPath" | "appendDeadLetter"
> & {
  /** null: a dry run. Its token and the endpoint's credentials are redacted from dead letters. */
  readonly delivery: Pick<DeliveryConfig, "endpoint" | "accessToken"> | null;
};

export type LedgerDeps = Pick<
  RunDeps,
  "interrupt" | "outputFailure" | "now" | "elapsed" | "carried"
>;

/** The pauses for the rate limit, for the report (the run's Pacer). */
export interface WaitTotals {
  readonly waitedMs: number;
  readonly longestWaitMs: number;
}

export interface Progress {
  rows: number;
  accepted: number;
  deadLettered: number;
  unchanged: number;
  rateLimitWaitMs: number;
}

const DOCUMENTED: ReadonlySet<string> = new Set(Object.values(RESULT_CODES));

/** Where a row was read: `at` orders rows over the run's files; `file` and `line` name it. */
export interface Place {
  readonly at: number;
  readonly line: number;
  readonly file?: string | undefined;
}

export class RunLedger {
  /** Rows read (not blank ones), and what became of them; `rows - settled` are still on their way. */
  readonly count = { rows: 0, blank: 0, accepted: 0, unchanged: 0, filtered: 0 };
  /** Retries and rate-limited answers, counted by the delivery (DeliveryDeps.stats). */
  readonly stats = { retries: 0, rateLimited: 0 };
  readonly carried: CarriedCounts;
  readonly now: () => number;
  readonly deadLetter: DeadLetterFile;
  /** The run's pauses for the rate limit, once it delivers. */
  waits: WaitTotals | undefined;
  readonly #options: LedgerOptions;
  readonly #startedAt: number;
  readonly #elapsed: () => number;
  readonly #started: number;
  readonly #stop = new AbortController();
  readonly #failing = new FailingColumns();
  /** Rows refused with a code the API's guide does not list, per code. */
  readonly #unknownCodes = new Map<string, number>();
  /**
   * Rows started and not yet finished (key → where), for the first row not delivered: one set and
   * one deleted a request (util/churn-map.ts).
   */
  readonly #inFlight = new ChurnMap<number, Place>();
  /** Files of the run's inputs skipped: finished by an earlier run, unchanged since (--state). */
  #finishedFiles = 0;
  #deadLettered = 0;
  /** Rows of a group value that came back after its group closed (an earlier part went on). */
  #splitRows = 0;
  /** Rows merged into the update of an earlier row of their identity (--group-by-identity). */
  #mergedRows = 0;
  #stillFailing = 0;
  #notAttempted = 0;
  #firstNotAttempted: Place | null = null;
  #stoppedBy: StoppedBy | null = null;
  #finishedAt: number | null = null;
  #finished: number | null = null;
  #bug: unknown;

  constructor(options: LedgerOptions, deps: LedgerDeps) {
    this.#options = options;
    this.now = deps.now;
    this.#startedAt = this.now();
    this.#elapsed = deps.elapsed;
    this.#started = this.#elapsed();
    const { delivery } = options;
    const secrets = new Redactor([delivery?.accessToken, ...endpointSecrets(delivery?.endpoint)]);
    this.deadLetter = new DeadLetterFile(
      options.deadLetterPath,
      options.appendDeadLetter,
      FS_WRITE,
      (text) => secrets.redact(text),
    );
    const carried = deps.carried;
    this.carried = carried;
    this.count.accepted = carried.accepted;
    this.count.unchanged = carried.unchanged;
    this.count.filtered = carried.filtered;
    this.#deadLettered = carried.deadLettered;
    this.count.rows =
      carried.accepted + carried.deadLettered + carried.unchanged + carried.filtered;
    // Every request sleeping before a retry listens on the stop signal (and lets go after): up to
    // the read-ahead window at once, not a leak, so no MaxListenersExceededWarning on stderr.
    setMaxListeners(0, this.#stop.signal);
    listenForStops(
      deps,
      () => this.halt("interrupt", "interrupted: stopped reading, waited for requests in flight"),
      (reason) => this.stopFor(reason),
    );
  }

  /** Aborted when the run stops: nothing new is read or sent. */
  get stop(): AbortSignal {
    return this.#stop.signal;
  }

  get stoppedBy(): StoppedBy | null {
    return this.#stoppedBy;
  }

  /** The first bug that stopped the run, for the CLI to print with its stack. */
  get bug(): unknown {
    return this.#bug;
  }

  /** Stops the run; the first reason given is the one reported. */
  halt(reason: StopReason, message: string, extra: Partial<StoppedBy> = {}): void {
    if (this.#stoppedBy === null) this.#stoppedBy = { reason, message, ...extra };
    this.#stop.abort();
  }

  /** Adds to the reason the run stopped for (the breaker's diagnosis, once drained). */
  explainStop(more: Partial<StoppedBy>): void {
    if (this.#stoppedBy !== null) this.#stoppedBy = { ...this.#stoppedBy, ...more };
  }

  /** An error that ends the run: the user's (input, output) or ours (a bug, kept for the CLI). */
  stopFor(error: unknown): void {
    const stop = stopOf(error);
    if (stop.bug) this.#bug ??= error;
    this.halt(stop.reason, stop.message);
  }

  /** A row goes on its way (`key`: unique among rows on their way). */
  started(key: number, place: Place): void {
    this.#inFlight.set(key, place);
  }

  finished(key: number): void {
    this.#inFlight.delete(key);
  }

  notAttempted(place: Place): void {
    this.#notAttempted++;
    if (this.#firstNotAttempted === null || place.at < this.#firstNotAttempted.at) {
      this.#firstNotAttempted = place;
    }
  }

  /** The rows of an event (or of a request) not attempted. */
  notAttemptedRows(rows: readonly Place[]): void {
    for (const row of rows) this.notAttempted(row);
  }

  /** A file of the run's inputs not read: finished by an earlier run, unchanged since. */
  finishedFile(): void {
    this.#finishedFiles++;
  }

  /**
   * Dead-letters one row: writes its record, then `recorded()` (the state file; if it throws, the
   * row is counted by the caller's catch, once), then counts it. False when the file cannot be
   * written: the run then stops and the row is not attempted.
   */
  deadLettered(
    place: Place,
    record: DeadLetterRecord,
    failure: RowFailure,
    permanent: boolean,
    recorded: () => void = () => {},
  ): boolean {
    try {
      this.deadLetter.write(record);
    } catch (writeError) {
      this.stopFor(writeError);
      this.notAttempted(place);
      return false;
    }
    recorded();
    this.#deadLettered++;
    if (failure.code === "GROUP_SPLIT") this.#splitRows++;
    if (failure.errors !== undefined) this.#failing.add(failure.errors);
    const { code } = failure;
    if (permanent && failure.stage === "api" && /^\d+$/.test(code) && !DOCUMENTED.has(code)) {
      this.#unknownCodes.set(code, (this.#unknownCodes.get(code) ?? 0) + 1);
    }
    return true;
  }

  /** Rows merged into the unit of an earlier row of their identity. */
  readonly merged = (rows: number): void => {
    this.#mergedRows += rows;
  };

  /** A dead-lettered row that failed the same way on an earlier run (with --state). */
  stillFailing(): void {
    this.#stillFailing++;
  }

  /** Rows whose outcome is known (read ones not yet settled are still on their way). */
  get settled(): number {
    const { accepted, unchanged, filtered } = this.count;
    return accepted + this.#deadLettered + unchanged + filtered + this.#notAttempted;
  }

  /** Rows that lived this run: accepted or unchanged, not carried from an interrupted pass. */
  get lived(): number {
    const { accepted, unchanged } = this.count;
    return accepted - this.carried.accepted + (unchanged - this.carried.unchanged);
  }

  /** Counters for progress display, while the run goes on. */
  progress(): Progress {
    return {
      rows: this.count.rows,
      accepted: this.count.accepted,
      deadLettered: this.#deadLettered,
      unchanged: this.count.unchanged,
      rateLimitWaitMs: Math.round(this.waits?.waitedMs ?? 0),
    };
  }

  /** The run has ended: the report's end time is now. */
  finish(): void {
    this.#finishedAt = this.now();
    this.#finished = this.#elapsed();
  }

  /**
   * The report as of now; final once the run has finished. Taken earlier (a forced exit), rows
   * still on their way count as not attempted, so the totals balance either way.
   */
  snapshot(paths?: Report["paths"]): Report {
    const finishedAt = this.#finishedAt ?? this.now();
    const { rows, blank, accepted, unchanged, filtered } = this.count;
    const { delivery, inputs } = this.#options;
    const first = this.#firstUnfinished();
    return {
      rows,
      blank,
      accepted,
      deadLettered: this.#deadLettered,
      stillFailing: this.#stillFailing,
      unchanged,
      filtered,
      notAttempted: this.#notAttempted + (rows - this.settled),
      firstNotAttemptedLine: first?.line ?? null,
      ...(inputs.many ? { firstNotAttemptedFile: first?.file ?? null } : {}),
      retries: this.stats.retries,
      rateLimited: this.stats.rateLimited,
      rateLimitWaitMs: Math.round(this.waits?.waitedMs ?? 0),
      longestWaitMs: Math.round(this.waits?.longestWaitMs ?? 0),
      // By the clock that never steps back: a wall clock set back under the run cannot make it negative.
      durationMs: Math.round((this.#finished ?? this.#elapsed()) - this.#started),
      startedAt: new Date(this.#startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      input: this.#options.input,
      ...(inputs.many
        ? { files: { count: inputs.files.length - this.#finishedFiles, skipped: this.#skipped() } }
        : {}),
      endpoint: delivery?.endpoint ?? null,
      dryRun: delivery === null,
      deadLetterFile: this.#deadLettered > 0 ? this.deadLetter.path : null,
      ...(paths === undefined ? {} : { paths }),
      ...(this.#splitRows === 0 ? {} : { splitGroupRows: this.#splitRows }),
      ...(this.#mergedRows === 0 ? {} : { mergedRows: this.#mergedRows }),
      unknownCodes: Object.fromEntries(this.#unknownCodes),
      failingColumns: this.#failing.top(),
      stoppedBy: this.#stoppedBy,
    };
  }

  /** The first row not delivered because the run stopped, counting rows still on their way. */
  #firstUnfinished(): Place | null {
    let first = this.#firstNotAttempted;
    for (const place of this.#inFlight.values()) {
      if (first === null || place.at < first.at) first = place;
    }
    return first;
  }

  /** The files of a folder or glob not read, per reason. */
  #skipped(): FilesSkipped {
    return { ...this.#options.inputs.skipped, finished: this.#finishedFiles };
  }
}
