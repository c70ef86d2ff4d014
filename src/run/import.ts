import type { ProfileUpdate } from "../api/dfinery.js";
import { type DeliveryDeps, deliver, type Sender } from "../delivery/deliver.js";
import { IdentityOrder } from "../delivery/identity-order.js";
import type { RateWait } from "../delivery/pacer.js";
import type { RowFailure } from "../errors.js";
import { PathPresence } from "../mapping/paths.js";
import type { Mapping } from "../mapping/types.js";
import { deadLetterRecord } from "../sinks/dead-letter.js";
import type { Report } from "../sinks/report.js";
import { canaryLived } from "./canary.js";
import { type DeliveryOptions, openDelivery, type RunDelivery } from "./delivery-setup.js";
import { FailureWatch, type ProbeLog } from "./failure-watch.js";
import { type InputOptions, openInput } from "./input.js";
import { type CarriedCounts, type Progress, RunLedger } from "./ledger.js";
import { type WorkItem, workItems } from "./rows.js";
import { NO_STATE, type RunState } from "./state-link.js";
import { Window } from "./window.js";

export { DEFAULT_MAX_WAIT_MS, type DeliveryOptions } from "./delivery-setup.js";
export type { CarriedCounts } from "./ledger.js";

export interface ImportOptions extends InputOptions {
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
  readonly #ledger: RunLedger;
  readonly #order = new IdentityOrder();
  /** A dry run of NDJSON: in how many rows each mapped path is present. */
  readonly #presence: PathPresence | undefined;
  readonly #watch: FailureWatch;
  #sampled = 0;

  constructor(options: ImportOptions, deps: ImportDeps = {}) {
    this.#options = options;
    const { mapping, format } = options;
    this.#presence =
      mapping !== null && format === "ndjson" && options.delivery === undefined
        ? new PathPresence(mapping)
        : undefined;
    this.#deps = deps;
    this.#state = deps.state ?? NO_STATE;
    this.#ledger = new RunLedger(options, deps);
    this.#watch = new FailureWatch(options.mapping, options.delivery?.breaker);
  }

  /**
   * Reads, maps and delivers every row. Never throws: an unreadable input, an unwritable output or
   * a bug stops the run (`stoppedBy`), and the rows already in the pipeline still finish first.
   */
  async execute(): Promise<Report> {
    const ledger = this.#ledger;
    const { delivery } = this.#options;
    const window = new Window(this.#deps.readAhead ?? (delivery?.concurrency ?? 1) * 2 + 16);
    let run: RunDelivery | undefined;
    try {
      ledger.deadLetter.open();
      if (delivery !== undefined) run = openDelivery(delivery, ledger, this.#deps);
      await this.#readAll(window, run?.deps);
    } catch (error) {
      ledger.stopFor(error);
    }
    await window.drain();
    if (run !== undefined) await this.#explainBreaker(run.deps);
    ledger.deadLetter.close();
    await run?.close();
    ledger.finish();
    return this.snapshot();
  }

  /** Once the breaker has stopped the run and it has drained: why, naming the refused property. */
  async #explainBreaker(deps: DeliveryDeps): Promise<void> {
    const now = this.#ledger.now;
    const send = (update: ProfileUpdate) =>
      deps.sender.send({ ...update, request_datetime: new Date(now()).toISOString() });
    await this.#watch.explain(this.#ledger, { send, log: this.#deps.onProbe ?? (() => {}) });
  }

  /** The first bug that stopped the run, for the CLI to print with its stack. */
  get bug(): unknown {
    return this.#ledger.bug;
  }
  async #readAll(window: Window, deps: DeliveryDeps | undefined): Promise<void> {
    const ledger = this.#ledger;
    const { count, stop } = ledger;
    const { input, format, mapping } = this.#options;
    const source = openInput(this.#options, mapping?.source, this.#deps.stdin, stop);
    const canary = this.#options.delivery?.canary ?? 0;
    let read = 0;
    const presence = this.#presence;
    const rows = workItems(source, { input, format, mapping, ...(presence && { presence }) });
    for await (const item of rows) {
      if (stop.aborted) break;
      ledger.deadLetter.start(); // the first row is read: now an earlier run's file may go
      if (item.kind === "blank") {
        count.blank++; // beside rows, not in it: never sent, never a failure
        continue;
      }
      if (this.#state.skip(item.at)) continue; // done by an interrupted pass of this run
      count.rows++;
      if (
        read++ === canary &&
        canary > 0 &&
        !(await canaryLived(canary, "rows", () => window.drain(), ledger, this.#watch))
      ) {
        ledger.notAttempted(item.line); // the row in hand
        break;
      }
      if (item.kind === "failed") {
        this.#fail(item, null, item.failure, 0, true);
        continue;
      }
      this.#sample(item.update);
      if (deps === undefined && this.#state === NO_STATE) {
        count.accepted++; // a dry run without state: nothing to wait for
        continue;
      }
      await window.acquire();
      if (stop.aborted) {
        window.release();
        ledger.notAttempted(item.line);
        break;
      }
      ledger.started(item.at, item.line);
      this.#process(item, deps)
        .catch((error: unknown) => {
          // Not the row's fault (a bug, the state file failing): stop; the row is not attempted.
          ledger.stopFor(error);
          ledger.notAttempted(item.line);
        })
        .finally(() => {
          ledger.finished(item.at);
          window.release();
        });
    }
    if (!stop.aborted) ledger.deadLetter.start(); // an input without rows
  }

  /** One row to its end: failed, unchanged, accepted, dead-lettered, or not attempted. */
  async #process(
    item: WorkItem & { kind: "mapped" },
    deps: DeliveryDeps | undefined,
  ): Promise<void> {
    const { update, line } = item;
    const { count } = this.#ledger;
    // Rows of one user go in file order; the diff is asked when the row's turn comes.
    const release = await this.#order.acquire(update.identity);
    try {
      const diff = this.#state.diff(update);
      if (diff.unchanged) {
        this.#state.unchanged(item.at);
        count.unchanged++;
        return;
      }
      if (deps === undefined) {
        count.accepted++; // dry run: valid
        return;
      }
      const outcome = await deliver(update, deps);
      if (outcome.kind === "accepted") {
        this.#watch.accepted();
        this.#state.accepted(item.at, diff);
        count.accepted++;
      } else if (outcome.kind === "failed") {
        this.#fail(item, update, outcome.failure, outcome.attempts, outcome.permanent);
        const trip = outcome.permanent ? this.#watch.refused(outcome.failure, update) : undefined;
        if (trip !== undefined) this.#ledger.halt("breaker", this.#watch.tripMessage(trip));
      } else {
        this.#ledger.notAttempted(line);
      }
    } finally {
      release();
    }
  }

  #sample(update: ProfileUpdate): void {
    const limit = this.#options.sample ?? 0;
    if (this.#sampled >= limit || this.#deps.onSample === undefined) return;
    this.#sampled++;
    const at = new Date(this.#ledger.now()).toISOString();
    this.#deps.onSample({ ...update, request_datetime: at });
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
    const record = deadLetterRecord(item, payload, failure, attempts, this.#ledger.now());
    // The state file may throw: then the row is counted once, elsewhere.
    const written = this.#ledger.deadLettered(record, failure, permanent, () =>
      this.#state.deadLettered(item.at),
    );
    if (written && permanent && this.#state.stillFailing(item.row, record.error)) {
      this.#ledger.stillFailing();
    }
  }

  /** Counters for progress display, while the run goes on. */
  progress(): Progress {
    return this.#ledger.progress();
  }

  /**
   * The report as of now; final once `execute()` has resolved. Taken earlier (a forced exit), rows
   * still in the pipeline count as not attempted, so the totals balance either way.
   */
  snapshot(): Report {
    const presence = this.#presence;
    return this.#ledger.snapshot(
      presence && { records: presence.records, present: presence.counts() },
    );
  }
}
