import { setMaxListeners } from "node:events";
import type { ProfileUpdate } from "../api/dfinery.js";
import type { BreakerOptions } from "../delivery/breaker.js";
import { ProfileClient } from "../delivery/client.js";
import { type DeliveryDeps, deliver, type Sender } from "../delivery/deliver.js";
import { IdentityOrder } from "../delivery/identity-order.js";
import { Pacer, type RateWait } from "../delivery/pacer.js";
import type { Rate } from "../delivery/rate.js";
import { DEFAULT_RETRY_POLICY } from "../delivery/retry-policy.js";
import { instantText, NOTICE_AFTER_MS, waitStopMessage } from "../delivery/wait-notice.js";
import type { RowFailure } from "../errors.js";
import { PathPresence } from "../mapping/paths.js";
import type { Mapping } from "../mapping/types.js";
import { DeadLetterFile, deadLetterRecord } from "../sinks/dead-letter.js";
import { FailingColumns } from "../sinks/failing-columns.js";
import { FS_WRITE } from "../sinks/own-file.js";
import { endpointSecrets, Redactor } from "../sinks/redact.js";
import type { Report, StoppedBy, StopReason } from "../sinks/report.js";
import { readSource } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import { FailureWatch, type ProbeLog } from "./failure-watch.js";
import { type WorkItem, workItems } from "./rows.js";
import { NO_STATE, type RunState } from "./state-link.js";
import { listenForStops, stopOf } from "./stop.js";
import { Window } from "./window.js";

export interface DeliveryOptions {
  readonly endpoint: string;
  readonly serviceId: string;
  readonly accessToken: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** The longest wait for the rate limit; a longer one stops the run (exit 3, resumable). Default 10 min. */
  readonly maxWaitMs?: number;
  /** The circuit breaker on permanent failures; default DEFAULT_BREAKER. */
  readonly breaker?: BreakerOptions;
  /** Send the first N rows, and stop (exit 3) before reading further if none was accepted. 0: off. */
  readonly canary?: number;
}

export interface ImportOptions {
  readonly input: string;
  readonly format: SourceFormat;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** CSV: a quoted cell open for more lines is an unclosed quote (source/quote-guard.ts). */
  readonly maxCellLines?: number;
  /** null: the input is a dead-letter file whose stored payloads are sent as they were. */
  readonly mapping: Mapping | null;
  readonly deadLetterPath: string;
  /** Append to the dead-letter file (a resumed run) instead of starting it anew. */
  readonly appendDeadLetter?: boolean;
  /** Absent: dry run (map and validate, send nothing). */
  readonly delivery?: DeliveryOptions;
  /** Print the first N payloads as they would be sent. */
  readonly sample?: number;
}

export const DEFAULT_MAX_WAIT_MS = 600_000;

/** Counts an interrupted pass of the same run left (a resumed run starts from them). */
export interface CarriedCounts {
  readonly accepted: number;
  readonly deadLettered: number;
  readonly unchanged: number;
}

export interface ImportDeps {
  /** Aborted on Ctrl-C / SIGTERM: stop reading, let requests in flight finish. */
  readonly interrupt?: AbortSignal;
  /** Aborted with an ImporterError when an output outside the run fails (the log): stop for it. */
  readonly outputFailure?: AbortSignal;
  readonly onSample?: (body: ProfileUpdate & { request_datetime: string }) => void;
  readonly stdin?: NodeJS.ReadableStream;
  readonly now?: () => number;
  /** Replaces the HTTP client (benchmarks of the importer's own cost). */
  readonly sender?: Sender;
  /** Rows in the pipeline at most; default 2 × concurrency + 16. */
  readonly readAhead?: number;
  /** The state store's view for this run (diff and resume); none without --state. */
  readonly state?: RunState;
  readonly carried?: CarriedCounts;
  /** Told when the run starts a pause for the rate limit longer than NOTICE_AFTER_MS. */
  readonly onWait?: (wait: RateWait) => void;
  /** Told of each request the breaker's diagnosis sends (the properties it held, the answer's code). */
  readonly onProbe?: ProbeLog;
}

/** A run of the importer: one input, one mapping, one report. `snapshot()` may be read at any time. */
export class ImportRun {
  readonly #options: ImportOptions;
  readonly #deps: ImportDeps;
  readonly #state: RunState;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #deadLetter: DeadLetterFile;
  readonly #stop = new AbortController();
  readonly #stats = { retries: 0, rateLimited: 0 };
  readonly #order = new IdentityOrder();
  /** A dry run of NDJSON: in how many rows each mapped path is present. */
  readonly #presence: PathPresence | undefined;
  readonly #watch: FailureWatch;
  readonly #carried: CarriedCounts;
  readonly #failing = new FailingColumns();
  #rows = 0;
  #blank = 0;
  #accepted = 0;
  #deadLettered = 0;
  #stillFailing = 0;
  /** The end of the last wait told, so waits ending together are told once. */
  #noticedUntil = 0;
  #unchanged = 0;
  #notAttempted = 0;
  #firstNotAttemptedLine: number | null = null;
  #stoppedBy: Report["stoppedBy"] = null;
  #finishedAt: number | null = null;
  #sampled = 0;
  #pacer: Pacer | undefined;
  #bug: unknown;
  /** Rows read and not yet finished (`at` → line): bounded by the read-ahead window. */
  readonly #pipeline = new Map<number, number>();

  constructor(options: ImportOptions, deps: ImportDeps = {}) {
    this.#options = options;
    const { mapping, format } = options;
    this.#presence =
      mapping !== null && format === "ndjson" && options.delivery === undefined
        ? new PathPresence(mapping)
        : undefined;
    this.#deps = deps;
    this.#state = deps.state ?? NO_STATE;
    this.#now = deps.now ?? Date.now;
    this.#startedAt = this.#now();
    const { delivery } = options;
    const secrets = new Redactor([delivery?.accessToken, ...endpointSecrets(delivery?.endpoint)]);
    this.#deadLetter = new DeadLetterFile(
      options.deadLetterPath,
      options.appendDeadLetter === true,
      FS_WRITE,
      (text) => secrets.redact(text),
    );
    const carried = deps.carried ?? { accepted: 0, deadLettered: 0, unchanged: 0 };
    this.#carried = carried;
    this.#watch = new FailureWatch(options.mapping, options.delivery?.breaker);
    this.#accepted = carried.accepted;
    this.#deadLettered = carried.deadLettered;
    this.#unchanged = carried.unchanged;
    this.#rows = carried.accepted + carried.deadLettered + carried.unchanged;
    // Every row sleeping before a retry listens on the stop signal (and lets go after): up to the
    // read-ahead window at once, not a leak, so no MaxListenersExceededWarning on stderr.
    setMaxListeners(0, this.#stop.signal);
    listenForStops(
      deps,
      () => this.#halt("interrupt", "interrupted: stopped reading, waited for requests in flight"),
      (reason) => this.#stopFor(reason),
    );
  }

  #halt(reason: StopReason, message: string, extra: Partial<StoppedBy> = {}): void {
    if (this.#stoppedBy === null) this.#stoppedBy = { reason, message, ...extra };
    this.#stop.abort();
  }

  /** A pause for the rate limit: told when long, the run stopped when beyond --max-wait. */
  #onWait(wait: RateWait, maxWaitMs: number): void {
    if (wait.tooLong) {
      const { iso, local } = instantText(wait.untilMs);
      this.#halt("rate-limit", waitStopMessage(wait, maxWaitMs), { until: iso, untilLocal: local });
    } else if (wait.untilMs - this.#now() > NOTICE_AFTER_MS && wait.untilMs > this.#noticedUntil) {
      this.#noticedUntil = wait.untilMs; // rows retrying together: told once
      this.#deps.onWait?.(wait);
    }
  }

  /**
   * Reads, maps and delivers every row. Never throws: an unreadable input, an unwritable output or
   * a bug stops the run (`stoppedBy`), and the rows already in the pipeline still finish first.
   */
  async execute(): Promise<Report> {
    const { delivery } = this.#options;
    const window = new Window(this.#deps.readAhead ?? (delivery?.concurrency ?? 1) * 2 + 16);
    let client: ProfileClient | undefined;
    let deps: DeliveryDeps | undefined;
    try {
      this.#deadLetter.open();
      if (delivery !== undefined) {
        const sender =
          this.#deps.sender ??
          new ProfileClient({ ...delivery, connections: delivery.concurrency });
        if (sender instanceof ProfileClient) client = sender;
        const maxWaitMs = delivery.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
        this.#pacer = new Pacer({
          rate: delivery.rate,
          concurrency: delivery.concurrency,
          stop: this.#stop.signal,
          maxWaitMs,
          onWait: (wait) => this.#onWait(wait, maxWaitMs),
        });
        deps = {
          sender,
          pacer: this.#pacer,
          policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: delivery.maxAttempts },
          stop: this.#stop.signal,
          onFatal: (_code, message) => this.#halt("fatal", message),
          now: this.#now,
          stats: this.#stats,
          health: { consecutiveFailures: 0 },
          maxWaitMs,
          onWait: (wait) => this.#onWait(wait, maxWaitMs),
        };
      }
      await this.#readAll(window, deps);
    } catch (error) {
      this.#stopFor(error);
    }
    await window.drain();
    if (deps !== undefined) await this.#explainBreaker(deps);
    this.#deadLetter.close();
    await this.#pacer?.close();
    await client?.close();
    this.#finishedAt = this.#now();
    return this.snapshot();
  }

  /** Once the breaker has stopped the run and it has drained: why, naming the refused property. */
  async #explainBreaker(deps: DeliveryDeps): Promise<void> {
    const stopped = this.#stoppedBy;
    if (stopped?.reason !== "breaker") return;
    const send = (update: ProfileUpdate) =>
      deps.sender.send({ ...update, request_datetime: new Date(this.#now()).toISOString() });
    try {
      const stop = await this.#watch.stopMessage(send, this.#deps.onProbe ?? (() => {}));
      if (stop !== undefined) this.#stoppedBy = { ...stopped, ...stop };
    } catch (error) {
      this.#stopFor(error);
    }
  }

  /** An error that ends the run: the user's (input, output) or ours (a bug, kept for the CLI). */
  #stopFor(error: unknown): void {
    const stop = stopOf(error);
    if (stop.bug) this.#bug ??= error;
    this.#halt(stop.reason, stop.message);
  }

  /** The first bug that stopped the run, for the CLI to print with its stack. */
  get bug(): unknown {
    return this.#bug;
  }

  async #readAll(window: Window, deps: DeliveryDeps | undefined): Promise<void> {
    const { input, format, mapping } = this.#options;
    const layout = mapping?.source;
    const source = readSource({
      input,
      format,
      ...(layout === undefined ? {} : { header: layout.header }),
      ...(layout?.columns === undefined ? {} : { columns: layout.columns }),
      ...(layout?.dialect === undefined ? {} : { dialect: layout.dialect }),
      ...(this.#options.encoding === undefined ? {} : { encoding: this.#options.encoding }),
      ...(this.#options.delimiter === undefined ? {} : { delimiter: this.#options.delimiter }),
      ...(this.#options.maxCellLines === undefined
        ? {}
        : { maxCellLines: this.#options.maxCellLines }),
      ...(this.#deps.stdin === undefined ? {} : { stdin: this.#deps.stdin }),
      signal: this.#stop.signal,
    });
    const canary = this.#options.delivery?.canary ?? 0;
    let read = 0;
    const presence = this.#presence;
    const rows = workItems(source, { input, format, mapping, ...(presence && { presence }) });
    for await (const item of rows) {
      if (this.#stop.signal.aborted) break;
      this.#deadLetter.start(); // the first row is read: now an earlier run's file may go
      if (item.kind === "blank") {
        this.#blank++; // beside rows, not in it: never sent, never a failure
        continue;
      }
      if (this.#state.skip(item.at)) continue; // done by an interrupted pass of this run
      this.#rows++;
      if (read++ === canary && canary > 0 && !(await this.#canaryLived(window, canary))) {
        this.#notAttemptedRow(item.line); // the row in hand
        break;
      }
      if (item.kind === "failed") {
        this.#fail(item, null, item.failure, 0, true);
        continue;
      }
      this.#sample(item.update);
      if (deps === undefined && this.#state === NO_STATE) {
        this.#accepted++; // a dry run without state: nothing to wait for
        continue;
      }
      await window.acquire();
      if (this.#stop.signal.aborted) {
        window.release();
        this.#notAttemptedRow(item.line);
        break;
      }
      this.#pipeline.set(item.at, item.line);
      this.#process(item, deps)
        .catch((error: unknown) => {
          // Not the row's fault (a bug, the state file failing): stop; the row is not attempted.
          this.#stopFor(error);
          this.#notAttemptedRow(item.line);
        })
        .finally(() => {
          this.#pipeline.delete(item.at);
          window.release();
        });
    }
    if (!this.#stop.signal.aborted) this.#deadLetter.start(); // an input without rows
  }

  /**
   * After the canary's first rows: waits for them to end; if none was accepted (or unchanged), stops
   * the run before reading further. The row in hand is then not attempted.
   */
  async #canaryLived(window: Window, canary: number): Promise<boolean> {
    await window.drain();
    const lived =
      this.#accepted - this.#carried.accepted + (this.#unchanged - this.#carried.unchanged);
    if (lived > 0 || this.#stop.signal.aborted) return lived > 0;
    const common = this.#watch.commonRefusal();
    this.#halt(
      "canary",
      `canary: none of the first ${canary} rows was accepted` +
        (common === "" ? "" : ` (most refused: ${common})`) +
        "; stopped before reading further",
    );
    return false;
  }

  /** One row to its end: failed, unchanged, accepted, dead-lettered, or not attempted. */
  async #process(
    item: WorkItem & { kind: "mapped" },
    deps: DeliveryDeps | undefined,
  ): Promise<void> {
    const { update, line } = item;
    // Rows of one user go in file order; the diff is asked when the row's turn comes.
    const release = await this.#order.acquire(update.identity);
    try {
      const diff = this.#state.diff(update);
      if (diff.unchanged) {
        this.#state.unchanged(item.at);
        this.#unchanged++;
        return;
      }
      if (deps === undefined) {
        this.#accepted++; // dry run: valid
        return;
      }
      const outcome = await deliver(update, deps);
      if (outcome.kind === "accepted") {
        this.#watch.accepted();
        this.#state.accepted(item.at, diff);
        this.#accepted++;
      } else if (outcome.kind === "failed") {
        this.#fail(item, update, outcome.failure, outcome.attempts, outcome.permanent);
        const trip = outcome.permanent ? this.#watch.refused(update, outcome.failure) : undefined;
        if (trip !== undefined) this.#halt("breaker", FailureWatch.tripMessage(trip));
      } else {
        this.#notAttemptedRow(line);
      }
    } finally {
      release();
    }
  }

  #sample(update: ProfileUpdate): void {
    const limit = this.#options.sample ?? 0;
    if (this.#sampled >= limit || this.#deps.onSample === undefined) return;
    this.#sampled++;
    this.#deps.onSample({ ...update, request_datetime: new Date(this.#now()).toISOString() });
  }

  #notAttemptedRow(line: number): void {
    this.#notAttempted++;
    if (this.#firstNotAttemptedLine === null || line < this.#firstNotAttemptedLine) {
      this.#firstNotAttemptedLine = line;
    }
  }

  /**
   * Dead-letters a row. If the file cannot be written, the run stops and the row is not attempted.
   * A row refused for good (`permanent`) the same way as on an earlier run is still failing.
   */
  #fail(
    item: Exclude<WorkItem, { kind: "blank" }>,
    payload: ProfileUpdate | null,
    failure: RowFailure,
    attempts: number,
    permanent: boolean,
  ): void {
    const { errors } = failure;
    const record = deadLetterRecord(item, payload, failure, attempts, this.#now());
    try {
      this.#deadLetter.write(record);
    } catch (writeError) {
      this.#stopFor(writeError);
      this.#notAttemptedRow(item.line);
      return;
    }
    this.#state.deadLettered(item.at); // may throw (the state file): then the row is counted once, elsewhere
    this.#deadLettered++;
    if (errors !== undefined) this.#failing.add(errors);
    if (permanent && this.#state.stillFailing(item.row, record.error)) this.#stillFailing++;
  }

  /** The first line not delivered because the run stopped, counting rows still in the pipeline. */
  #firstUnfinishedLine(): number | null {
    let first = this.#firstNotAttemptedLine;
    for (const line of this.#pipeline.values()) if (first === null || line < first) first = line;
    return first;
  }

  /** Counters for progress display, while the run goes on. */
  progress(): {
    rows: number;
    accepted: number;
    deadLettered: number;
    unchanged: number;
    rateLimitWaitMs: number;
  } {
    return {
      rows: this.#rows,
      accepted: this.#accepted,
      deadLettered: this.#deadLettered,
      unchanged: this.#unchanged,
      rateLimitWaitMs: Math.round(this.#pacer?.waitedMs ?? 0),
    };
  }

  /**
   * The report as of now; final once `execute()` has resolved. Taken earlier (a forced exit), rows
   * still in the pipeline count as not attempted, so the totals balance either way.
   */
  snapshot(): Report {
    const finishedAt = this.#finishedAt ?? this.#now();
    const settled = this.#accepted + this.#deadLettered + this.#unchanged + this.#notAttempted;
    return {
      rows: this.#rows,
      blank: this.#blank,
      accepted: this.#accepted,
      deadLettered: this.#deadLettered,
      stillFailing: this.#stillFailing,
      unchanged: this.#unchanged,
      notAttempted: this.#notAttempted + (this.#rows - settled),
      firstNotAttemptedLine: this.#firstUnfinishedLine(),
      retries: this.#stats.retries,
      rateLimited: this.#stats.rateLimited,
      rateLimitWaitMs: Math.round(this.#pacer?.waitedMs ?? 0),
      longestWaitMs: Math.round(this.#pacer?.longestWaitMs ?? 0),
      durationMs: Math.round(finishedAt - this.#startedAt), // an injected clock may be fractional
      startedAt: new Date(this.#startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      input: this.#options.input,
      endpoint: this.#options.delivery?.endpoint ?? null,
      dryRun: this.#options.delivery === undefined,
      deadLetterFile: this.#deadLettered > 0 ? this.#deadLetter.path : null,
      ...(this.#presence === undefined
        ? {}
        : { paths: { records: this.#presence.records, present: this.#presence.counts() } }),
      unknownCodes: Object.fromEntries(this.#watch.unknownCodes),
      failingColumns: this.#failing.top(),
      stoppedBy: this.#stoppedBy,
    };
  }
}
