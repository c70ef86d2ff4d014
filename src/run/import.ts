import type { ProfileUpdate } from "../api/dfinery.js";
import { ProfileClient } from "../delivery/client.js";
import { type DeliveryOutcome, deliver, type Sender } from "../delivery/deliver.js";
import { IdentityOrder } from "../delivery/identity-order.js";
import { Pacer } from "../delivery/pacer.js";
import type { Rate } from "../delivery/rate.js";
import { DEFAULT_RETRY_POLICY } from "../delivery/retry-policy.js";
import { ImporterError, type RowFailure, rowFailure } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import { checkColumns } from "../mapping/load.js";
import type { Mapping } from "../mapping/types.js";
import { DeadLetterFile } from "../sinks/dead-letter.js";
import type { Report, StopReason } from "../sinks/report.js";
import { readSource } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import { isDeadLetterRecord, toReplayItem } from "./replay.js";
import { Window } from "./window.js";

export interface DeliveryOptions {
  readonly endpoint: string;
  readonly serviceId: string;
  readonly accessToken: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
}

export interface ImportOptions {
  readonly input: string;
  readonly format: SourceFormat;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** null: the input is a dead-letter file whose stored payloads are sent as they were. */
  readonly mapping: Mapping | null;
  readonly deadLetterPath: string;
  /** Absent: dry run (map and validate, send nothing). */
  readonly delivery?: DeliveryOptions;
  /** Print the first N payloads as they would be sent. */
  readonly sample?: number;
}

export interface ImportDeps {
  /** Aborted on Ctrl-C / SIGTERM: stop reading, let requests in flight finish. */
  readonly interrupt?: AbortSignal;
  readonly onSample?: (body: ProfileUpdate & { request_datetime: string }) => void;
  readonly stdin?: NodeJS.ReadableStream;
  readonly now?: () => number;
  /** Replaces the HTTP client (benchmarks of the importer's own cost). */
  readonly sender?: Sender;
  /** Rows in the pipeline at most; default 2 × concurrency + 16. */
  readonly readAhead?: number;
}

/** A run of the importer: one input, one mapping, one report. `snapshot()` may be read at any time. */
export class ImportRun {
  readonly #options: ImportOptions;
  readonly #deps: ImportDeps;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #deadLetter: DeadLetterFile;
  readonly #stop = new AbortController();
  readonly #stats = { retries: 0, rateLimited: 0 };
  #rows = 0;
  #accepted = 0;
  #notAttempted = 0;
  #firstNotAttemptedLine: number | null = null;
  #stoppedBy: Report["stoppedBy"] = null;
  #finishedAt: number | null = null;
  #sampled = 0;
  #pacer: Pacer | undefined;

  constructor(options: ImportOptions, deps: ImportDeps = {}) {
    this.#options = options;
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#deadLetter = new DeadLetterFile(options.deadLetterPath);
    deps.interrupt?.addEventListener(
      "abort",
      () => this.#halt("interrupt", "interrupted: stopped reading, waited for requests in flight"),
      { once: true },
    );
  }

  #halt(reason: StopReason, message: string): void {
    if (this.#stoppedBy === null) this.#stoppedBy = { reason, message };
    this.#stop.abort();
  }

  get stopped(): Report["stoppedBy"] {
    return this.#stoppedBy;
  }

  /** Reads, maps and delivers every row. Throws only for run errors (bad input before sending, a bug). */
  async execute(): Promise<Report> {
    const { delivery } = this.#options;
    const concurrency = delivery?.concurrency ?? 1;
    const window = new Window(this.#deps.readAhead ?? concurrency * 2 + 16);
    let client: ProfileClient | undefined;
    let deliverRow: ((update: ProfileUpdate) => Promise<DeliveryOutcome>) | undefined;
    if (delivery !== undefined) {
      client =
        this.#deps.sender === undefined
          ? new ProfileClient({ ...delivery, connections: delivery.concurrency })
          : undefined;
      const sender: Sender = this.#deps.sender ?? (client as ProfileClient);
      this.#pacer = new Pacer({ rate: delivery.rate, concurrency: delivery.concurrency });
      const pacer = this.#pacer;
      const order = new IdentityOrder();
      const deps = {
        sender,
        pacer,
        policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: delivery.maxAttempts },
        stop: this.#stop.signal,
        onFatal: (_code: string, message: string) => this.#halt("fatal", message),
        now: this.#now,
        stats: this.#stats,
      };
      deliverRow = async (update) => {
        const release = await order.acquire(update.identity);
        try {
          return await deliver(update, deps);
        } finally {
          release();
        }
      };
    }

    try {
      try {
        await this.#readAll(window, deliverRow);
      } catch (error) {
        // The input became unreadable mid-file (or a column check failed): stop, account for what was read.
        if (!(error instanceof ImporterError)) throw error;
        this.#halt("input", error.message);
      }
      await window.drain();
    } finally {
      this.#deadLetter.close();
      await this.#pacer?.close();
      await client?.close();
      this.#finishedAt = this.#now();
    }
    return this.snapshot();
  }

  async #readAll(
    window: Window,
    deliverRow: ((update: ProfileUpdate) => Promise<DeliveryOutcome>) | undefined,
  ): Promise<void> {
    const { input, mapping } = this.#options;
    let replay: boolean | undefined;
    const source = readSource({
      input,
      format: this.#options.format,
      ...(this.#options.encoding === undefined ? {} : { encoding: this.#options.encoding }),
      ...(this.#options.delimiter === undefined ? {} : { delimiter: this.#options.delimiter }),
      ...(this.#deps.stdin === undefined ? {} : { stdin: this.#deps.stdin }),
    });
    for await (const item of source) {
      if (this.#stop.signal.aborted) break;
      if (item.kind === "header") {
        if (mapping !== null) checkColumns(mapping, item.columns, input);
        continue;
      }
      this.#rows++;
      if (item.kind === "invalid") {
        this.#fail(item.line, item.raw, null, item.failure, 0, this.#options.format);
        continue;
      }
      // A dead-letter file given as input is replayed: decided on its first row.
      replay ??= this.#options.format === "ndjson" && isDeadLetterRecord(item.cells);
      let line = item.line;
      let cells = item.cells;
      let format = this.#options.format;
      let stored: ProfileUpdate | null = null;
      if (replay) {
        const r = toReplayItem(item.cells, item.line);
        if (r.kind === "unreadable") {
          this.#fail(r.line, r.row, null, r.failure, 0, format);
          continue;
        }
        ({ line, cells, format } = r);
        stored = r.payload;
      }
      let update: ProfileUpdate;
      if (mapping === null) {
        if (stored === null) {
          const failure = replay
            ? rowFailure(
                "input",
                "REPLAY_NO_PAYLOAD",
                "this row was never mapped: replay it with --map",
              )
            : rowFailure(
                "input",
                "REPLAY_RECORD",
                "without --map, the input must be a dead-letter file",
              );
          this.#fail(line, cells, null, failure, 0, format);
          continue;
        }
        update = stored;
      } else {
        const mapped = applyMapping(mapping, { kind: "row", line, cells }, format);
        if (!mapped.ok) {
          this.#fail(line, cells, null, mapped.failure, 0, format);
          continue;
        }
        update = mapped.update;
      }
      this.#sample(update);
      if (deliverRow === undefined) {
        this.#accepted++; // dry run: valid
        continue;
      }
      await window.acquire();
      if (this.#stop.signal.aborted) {
        window.release();
        this.#notAttemptedRow(line);
        break;
      }
      const rowLine = line;
      const rowCells = cells;
      const rowFormat = format;
      void deliverRow(update)
        .then((outcome) => {
          if (outcome.kind === "accepted") this.#accepted++;
          else if (outcome.kind === "failed") {
            this.#fail(rowLine, rowCells, update, outcome.failure, outcome.attempts, rowFormat);
          } else this.#notAttemptedRow(rowLine);
        })
        .catch((error: unknown) => {
          // A bug, not a row's fault: keep the row (dead-letter it) and say what happened.
          const message = error instanceof Error ? error.message : String(error);
          this.#fail(
            rowLine,
            rowCells,
            update,
            rowFailure("api", "INTERNAL", message),
            0,
            rowFormat,
          );
        })
        .finally(() => window.release());
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

  #fail(
    line: number,
    row: unknown,
    payload: ProfileUpdate | null,
    error: RowFailure,
    attempts: number,
    format: SourceFormat,
  ): void {
    this.#deadLetter.write({
      line,
      row,
      payload,
      error,
      attempts,
      at: new Date(this.#now()).toISOString(),
      format,
    });
  }

  /** Counters for progress display, while the run goes on. */
  progress(): { rows: number; accepted: number; deadLettered: number; rateLimitWaitMs: number } {
    return {
      rows: this.#rows,
      accepted: this.#accepted,
      deadLettered: this.#deadLetter.count,
      rateLimitWaitMs: this.#pacer?.waitedMs ?? 0,
    };
  }

  /**
   * The report as of now; final once `execute()` has resolved. Taken earlier (a forced exit), rows
   * still in the pipeline count as not attempted, so the totals balance either way.
   */
  snapshot(): Report {
    const finishedAt = this.#finishedAt ?? this.#now();
    const dead = this.#deadLetter.count;
    const pending = this.#rows - this.#accepted - dead - this.#notAttempted;
    return {
      rows: this.#rows,
      accepted: this.#accepted,
      deadLettered: dead,
      unchanged: 0,
      notAttempted: this.#notAttempted + pending,
      firstNotAttemptedLine: this.#firstNotAttemptedLine,
      retries: this.#stats.retries,
      rateLimited: this.#stats.rateLimited,
      rateLimitWaitMs: this.#pacer?.waitedMs ?? 0,
      durationMs: finishedAt - this.#startedAt,
      startedAt: new Date(this.#startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      input: this.#options.input,
      endpoint: this.#options.delivery?.endpoint ?? null,
      dryRun: this.#options.delivery === undefined,
      deadLetterFile: dead > 0 ? this.#deadLetter.path : null,
      stoppedBy: this.#stoppedBy,
    };
  }
}
