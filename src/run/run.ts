/**
 * A run of the importer, of any kind (kind.ts): one input, one mapping, one report. Rows are read
 * (the header and the NDJSON paths checked first), blank ones counted apart, done ones of an
 * interrupted pass skipped, the rest assembled into units by the kind, gathered per identity into
 * batches (batcher.ts; sent by the reading loop and, while the input stalls, by the due timer)
 * and sent one request per batch (sender.ts: file order per user, refused batches split). Every
 * input row ends accepted, unchanged, dead-lettered or not attempted; the report balances.
 */

import type { RowFailure } from "../errors.js";
import { checkColumns } from "../mapping/load.js";
import { checkPaths, PATH_SAMPLE, PathPresence } from "../mapping/paths.js";
import { type DeadLetterRecord, deadLetterRecord } from "../sinks/dead-letter.js";
import type { Report } from "../sinks/report.js";
import type { SourceItem } from "../source/types.js";
import { type Batch, Batcher } from "./batcher.js";
import { canaryLived } from "./canary.js";
import { type RunConfig, type RunDeps, type RunInit, resolveDeps, resolveRun } from "./config.js";
import { openDelivery, type RunDelivery } from "./delivery-setup.js";
import { DueTimer, tickPeriodMs } from "./due-timer.js";
import { FailureWatch } from "./failure-watch.js";
import { openInput } from "./input.js";
import type { Assembler, Finished, Kind, KindState, Row } from "./kind.js";
import { type Progress, RunLedger } from "./ledger.js";
import { LineOrder } from "./line-order.js";
import {
  checkReplayCommand,
  isDeadLetterRecord,
  notDeadLetters,
  type ReplayItem,
  toReplayItem,
} from "./replay.js";
import { Sender } from "./sender.js";
import { startingWindow } from "./slow-start.js";
import { Window } from "./window.js";

/**
 * Dead-letter records are written as rows end: out of line order by at most the read-ahead window
 * of the run that wrote them. Replays restore line order within this many, so a user's rows go in
 * their original order (for profiles, the last row wins).
 */
const REPLAY_REORDER = 10_000;

type Cells = Readonly<Record<string, unknown>>;

export class Run<U> {
  readonly kind: Kind<U>;
  readonly config: RunConfig;
  readonly #deps: RunDeps;
  readonly #ledger: RunLedger;
  readonly #state: KindState<U>;
  readonly #watch: FailureWatch;
  readonly #assembler: Assembler<U>;
  /** A dry run of NDJSON: in how many rows each mapped path is present. */
  readonly #presence: PathPresence | undefined;
  readonly #markers: ReadonlySet<string>;
  #sender: Sender<U> | undefined;

  constructor(kind: Kind<U>, init: RunInit, deps: Partial<RunDeps> = {}) {
    const config = resolveRun(init);
    const { mapping, format } = config;
    kind.checkMapping(mapping, format, config.input);
    this.kind = kind;
    this.config = config;
    this.#deps = resolveDeps(deps);
    this.#ledger = new RunLedger(config, this.#deps);
    this.#state = kind.state(this.#deps.state, (error) => this.#ledger.stopFor(error));
    this.#watch = new FailureWatch(mapping, config.delivery?.breaker, kind.counted);
    this.#assembler = kind.assembler(mapping, config.input);
    this.#presence =
      mapping !== null && format === "ndjson" && config.delivery === null
        ? new PathPresence(mapping)
        : undefined;
    this.#markers = new Set(mapping?.source.emptyValues.map((m) => m.trim()));
  }

  /** The first bug that stopped the run, for the CLI to print with its stack. */
  get bug(): unknown {
    return this.#ledger.bug;
  }

  /** Batches made (a dry run: the requests it would send, refused ones not split). */
  get batches(): number {
    return this.#sender?.batches ?? 0;
  }

  /** Requests sent (batches, halves of refused ones, retries not counted). */
  get requests(): number {
    return this.#sender?.requests ?? 0;
  }

  /**
   * Reads, maps and delivers every row. Never throws: an unreadable input, an unwritable output or
   * a bug stops the run (`stoppedBy`), and the rows already in the pipeline still finish first.
   */
  async execute(): Promise<Report> {
    const ledger = this.#ledger;
    const { delivery } = this.config;
    const width = this.kind.limits.window(delivery?.concurrency ?? 1);
    const window = new Window(startingWindow(width, delivery?.breaker));
    let run: RunDelivery | undefined;
    try {
      ledger.deadLetter.open();
      if (delivery !== null) {
        const { sender, onWait } = this.#deps;
        run = openDelivery(delivery, ledger, { sender, onWait, path: this.kind.path });
      }
      this.#sender = new Sender({
        kind: this.kind,
        ledger,
        watch: this.#watch,
        state: this.#state,
        window,
        deps: run?.deps,
        width,
        fail: (rows, payload, failure, attempts, permanent) =>
          this.#fail(rows, payload, failure, attempts, permanent),
        unchanged: (rows) => this.#unchanged(rows),
        sample: this.config.sample,
        onSample: this.#deps.onSample,
      });
      await this.#readAll(window, this.#sender, run);
    } catch (error) {
      ledger.stopFor(error);
    }
    await window.drain();
    try {
      this.#state.flush();
    } catch (error) {
      ledger.stopFor(error);
    }
    await this.#explainBreaker(run);
    ledger.deadLetter.close();
    await run?.close();
    ledger.finish();
    return this.snapshot();
  }

  /** Once the breaker has stopped the run and it has drained: why (profiles: the refused property). */
  async #explainBreaker(run: RunDelivery | undefined): Promise<void> {
    const diagnosis = this.kind.diagnosis;
    if (run === undefined || diagnosis === undefined) return this.#watch.explain(this.#ledger);
    const { sender } = run.deps;
    const now = this.#ledger.now;
    await this.#watch.explain(this.#ledger, {
      send: (update) => diagnosis.send(sender, update, now()),
      log: this.#deps.onProbe,
    });
  }

  async #readAll(window: Window, sender: Sender<U>, run: RunDelivery | undefined): Promise<void> {
    const ledger = this.#ledger;
    const { config } = this;
    const { mapping, input, format, delivery } = config;
    const deps = run?.deps;
    const assembler = this.#assembler;
    const state = this.#state;
    const source = openInput(config, mapping?.source, this.#deps.stdin, ledger.stop);
    const { limits } = this.kind;
    const batcher = new Batcher<U>({
      waitMs: config.batchWaitMs,
      maxPending: config.maxPending,
      limits,
    });
    // --canary N: the first N units (a group of rows is one) are sent and awaited before the next.
    const canary = delivery?.canary ?? 0;
    let taken = 0;
    const canaryLets = (rows: readonly Row[]): true | Promise<boolean> => {
      if (taken++ !== canary || canary === 0) return true; // no promise: this runs for every unit
      return (async () => {
        await send(batcher.flush()); // the canary's units, all of them
        const drain = () => window.drain();
        if (await canaryLived(canary, this.kind.counted, drain, ledger, this.#watch)) return true;
        ledger.notAttemptedRows(rows); // the unit in hand
        return false;
      })();
    };
    // The reading loop and the due timer both send, one list after the other: file order per user.
    let sending = Promise.resolve();
    const send = (batches: Batch<U>[]): Promise<void> => {
      if (batches.length === 0) return sending;
      if (deps === undefined) {
        for (const batch of batches) sender.count(batch); // a dry run: nothing to wait for
        return sending;
      }
      sending = sending.then(async () => {
        for (const batch of batches) await sender.dispatch(batch, deps);
      });
      return sending;
    };
    const timer = new DueTimer({
      periodMs: tickPeriodMs(config.batchWaitMs),
      tick: () => (batcher.pending === 0 ? sending : send(batcher.due(ledger.now()))),
      onError: (error) => ledger.stopFor(error),
      stop: ledger.stop,
    });
    if (limits.units > 1) timer.start(); // sends what falls due while the input stalls
    // A finished unit (or failed rows): a promise only when there is something to wait for (a
    // batch to send, the canary), not one per row.
    const take = (done: Finished<U> | undefined): Promise<void> | undefined => {
      // A unit's rows end together (one commit), so an interrupted pass did all of them or none.
      if (done === undefined || done.rows[0]?.done === true) return undefined;
      const lets = canaryLets(done.rows);
      if (lets !== true) return lets.then((ok) => (ok ? place(done) : undefined));
      return place(done);
    };
    const place = (done: Finished<U>): Promise<void> | undefined => {
      if (!done.ok) {
        for (const row of done.rows) this.#fail([row], done.payload, row.failure, 0, true);
        return undefined;
      }
      if (state.knownAtRead(done.unit)) {
        this.#unchanged(done.rows);
        return undefined;
      }
      const ready =
        limits.units === 1 // a batch of one goes at once
          ? [{ identity: done.identity, units: [done], weight: limits.weight(done.unit) }]
          : batcher.add(done.identity, done, ledger.now());
      return ready.length === 0 ? undefined : send(ready);
    };
    const takeAll = async (all: readonly Finished<U>[]) => {
      for (const done of all) await take(done);
    };
    // A dead-letter file given as input is replayed (decided on its first row): each record's
    // original row is mapped again, as the format it was read in, under its original line (or,
    // without a mapping, its stored payload is sent again), in line order.
    let replay: boolean | undefined;
    const reorder = new LineOrder<ReplayItem>(REPLAY_REORDER);
    let replayed = 0; // `at` must increase strictly (resume progress): a count in replay order
    const replayOne = (r: ReplayItem): Promise<void> | undefined => {
      const at = ++replayed;
      // Done by an interrupted pass of this run: not counted again (a stored unit keeps its id).
      const done = this.#deps.state.skip(at);
      if (!done) ledger.count.rows++;
      if (r.kind === "unreadable") {
        const row = { line: r.line, at, row: r.row, format, failure: r.failure };
        return done ? undefined : takeAll(assembler.unreadable(row));
      }
      const { line, cells } = r;
      const row: Row = {
        line,
        at,
        row: cells,
        format: r.format,
        ...(r.occurrence === undefined ? {} : { occurrence: r.occurrence }),
        ...(done ? { done } : {}),
      };
      if (mapping === null) return done ? undefined : takeAll(assembler.stored(row, r.payload));
      return take(assembler.row(row, cells));
    };
    const step = (item: SourceItem): Promise<void> | undefined => {
      if (item.kind === "header") {
        if (mapping !== null) checkColumns(mapping, item.columns, input);
        return undefined;
      }
      ledger.deadLetter.start(); // the first row is read: now an earlier run's file may go
      if (item.kind === "row") {
        if (replay === undefined) {
          if (mapping === null)
            checkReplayCommand(item.cells, this.kind.command, input, item.line, true);
          replay = format === "ndjson" && isDeadLetterRecord(item.cells);
        }
        if (replay) {
          if (mapping === null) checkReplayCommand(item.cells, this.kind.command, input, item.line);
          const next = reorder.push(toReplayItem(item.cells, item.line));
          return next === undefined ? undefined : replayOne(next);
        }
        if (mapping !== null && isBlank(item.cells, this.#markers)) {
          ledger.count.blank++; // beside rows, not in it: never sent, never a failure
          return undefined;
        }
      }
      // Without a mapping, a first record that is not even JSON is no dead-letter file either.
      if (mapping === null && replay === undefined) {
        throw notDeadLetters(this.kind.command, input, item.line);
      }
      const at = item.line;
      // Done by an interrupted pass of this run: not counted again, assembled only for the ids.
      const done = this.#deps.state.skip(at);
      if (!done) ledger.count.rows++;
      if (item.kind === "invalid") {
        const row = { line: at, at, row: item.raw, format, failure: item.failure };
        return takeAll(assembler.unreadable(done ? { ...row, done } : row));
      }
      this.#presence?.count(item.cells);
      // The common row without spreads of empty objects: one object of one shape.
      const row: Row = done
        ? { line: at, row: item.cells, format, at, done }
        : { line: at, row: item.cells, format, at };
      return take(assembler.row(row, item.cells));
    };
    const iterator: AsyncIterator<SourceItem> = source[Symbol.asyncIterator]();
    try {
      // NDJSON: the first records are read ahead to check the mapping's paths before any request.
      const ahead =
        format === "ndjson" && mapping !== null
          ? await readAhead(iterator, config.batchWaitMs)
          : { held: [], stalled: undefined };
      const { held } = ahead;
      const first = held.find((item) => item.kind === "row");
      if (mapping !== null && first?.kind === "row" && !isDeadLetterRecord(first.cells)) {
        const records = held.flatMap((item) => (item.kind === "row" ? [item.cells] : []));
        checkPaths(mapping, records, input);
      }
      for (const item of held) {
        if (ledger.stop.aborted) break;
        await step(item);
        await send(batcher.due(ledger.now()));
      }
      let stalled = ahead.stalled;
      while (!ledger.stop.aborted) {
        const next = await (stalled ?? iterator.next());
        stalled = undefined;
        if (next.done === true) break;
        const taking = step(next.value);
        if (taking !== undefined) await taking;
        await send(batcher.due(ledger.now())); // also waits for what the timer sent: the read-ahead
      }
    } finally {
      await iterator.return?.();
    }
    await timer.stop();
    if (!ledger.stop.aborted) {
      ledger.deadLetter.start(); // an input without rows
      for (const next of reorder.drain()) {
        if (ledger.stop.aborted) break;
        await replayOne(next);
      }
      if (!ledger.stop.aborted) await takeAll(assembler.flush());
    }
    await send(batcher.flush());
  }

  /** Counters for progress display, while the run goes on. */
  progress(): Progress {
    return this.#ledger.progress();
  }

  /** A unit's rows whose unit an earlier run had accepted: not sent, recorded in the state. */
  #unchanged(rows: readonly Row[]): void {
    for (const { at } of rows) this.#deps.state.unchanged(at);
    this.#ledger.count.unchanged += rows.length;
  }

  /**
   * Dead-letters one unit's rows, recorded in the state file in one commit. If the file cannot be
   * written, the run stops and the row is not attempted. A row refused for good (`permanent`) the
   * same way as on an earlier run is still failing.
   */
  #fail(
    rows: readonly Row[],
    payload: DeadLetterRecord["payload"],
    failure: RowFailure,
    attempts: number,
    permanent: boolean,
  ): void {
    const state = this.#deps.state;
    const written: number[] = [];
    for (const row of rows) {
      const record = deadLetterRecord(row, payload, failure, attempts, this.#ledger.now());
      if (!this.#ledger.deadLettered(record, failure, permanent)) continue;
      written.push(row.at);
      if (permanent && state.stillFailing(row.row, record.error)) this.#ledger.stillFailing();
    }
    state.deadLetteredRows(written);
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

/**
 * Whether every cell of a record is empty: blank or whitespace, null, or one of the source's
 * `empty_values`. Most rows have a value in their first cell, so this stops there.
 */
export function isBlank(cells: Cells, markers: ReadonlySet<string>): boolean {
  for (const key in cells) {
    const value = cells[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== "string") return false;
    const text = value.trim();
    if (text !== "" && !markers.has(text)) return false;
  }
  return true;
}

const STALLED = Symbol("stalled");

/**
 * The first PATH_SAMPLE NDJSON records (or all of a smaller file), to check the mapping's paths;
 * on an input that stalls for `waitMs` (a pipe from a slow export), those read so far, and the
 * read still awaited (`stalled`), so that pending units are not held back for the sample.
 */
async function readAhead(
  iterator: AsyncIterator<SourceItem>,
  waitMs: number,
): Promise<{ held: SourceItem[]; stalled: Promise<IteratorResult<SourceItem>> | undefined }> {
  const held: SourceItem[] = [];
  let records = 0;
  while (records < PATH_SAMPLE) {
    const next = iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<typeof STALLED>((resolve) => {
      timer = setTimeout(() => resolve(STALLED), waitMs);
    });
    const read = await Promise.race([next, stall]);
    clearTimeout(timer);
    if (read === STALLED) return { held, stalled: next };
    if (read.done === true) break;
    held.push(read.value);
    if (read.value.kind === "row") records++;
  }
  return { held, stalled: undefined };
}
