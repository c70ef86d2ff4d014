/**
 * A run of import-events: rows → events (apply-event.ts; CSV `items.group_by` through
 * item-groups.ts; without a mapping, a dead-letter file's stored events, event-replay.ts) →
 * batches per identity (event-batcher.ts, sent by the reading loop and, while the input stalls, by
 * the due timer) → one request per batch (event-sender.ts: file order per user, refused batches
 * split in halves). With --state, events accepted before are not sent and a run resumes exactly.
 * Every input row ends accepted, unchanged, dead-lettered or not attempted; the report balances.
 */
import { EVENTS_PATH, type EventsRequestBody, MAX_ITEMS_PER_REQUEST } from "../api/events.js";
import type { RateWait } from "../delivery/pacer.js";
import { type RowFailure, rowFailure } from "../errors.js";
import { applyEventMapping, namedRecord } from "../mapping/apply-event.js";
import { EventIds } from "../mapping/event-ids.js";
import { type Group, ItemGroups } from "../mapping/item-groups.js";
import { checkColumns } from "../mapping/load.js";
import type { EventRules, Mapping } from "../mapping/types.js";
import { deadLetterRecord } from "../sinks/dead-letter.js";
import type { Report } from "../sinks/report.js";
import { AcceptedQueue } from "./accepted-queue.js";
import { canaryLived } from "./canary.js";
import { type DeliveryOptions, openDelivery, type RunDelivery } from "./delivery-setup.js";
import { DueTimer, tickPeriodMs } from "./due-timer.js";
import { type Batch, Batcher, itemCount } from "./event-batcher.js";
import { type StoredEvent, StoredEvents } from "./event-replay.js";
import { type EventRow, type EventRows, EventSender } from "./event-sender.js";
import { type EventState, NO_EVENT_STATE } from "./event-state.js";
import { FailureWatch } from "./failure-watch.js";
import { type InputOptions, openInput } from "./input.js";
import { type CarriedCounts, type Progress, RunLedger } from "./ledger.js";
import { isDeadLetterRecord, toReplayItem } from "./replay.js";
import { isBlank } from "./rows.js";
import { startingWindow } from "./slow-start.js";
import { Window } from "./window.js";

export interface EventRunOptions extends InputOptions {
  /** null: the input is an import-events dead-letter file whose stored events are sent again. */
  readonly mapping: (Mapping & { readonly event: EventRules }) | null;
  readonly deadLetterPath: string;
  /** Append to the dead-letter file (a resumed run) instead of starting it anew. */
  readonly appendDeadLetter?: boolean;
  /** Absent: dry run (map, batch and validate; send nothing). */
  readonly delivery?: DeliveryOptions;
  readonly sample?: number;
  /** A batch waits this long (of reading) for more events of its user. */
  readonly batchWaitMs: number;
}

export interface EventRunDeps {
  readonly interrupt?: AbortSignal;
  readonly outputFailure?: AbortSignal;
  /** Told of the first `sample` request bodies as they would be sent. */
  readonly onSample?: (body: EventsRequestBody) => void;
  readonly stdin?: NodeJS.ReadableStream;
  readonly now?: () => number;
  /** The state file's view for this run (known events, resume); none without --state. */
  readonly state?: EventState;
  readonly carried?: CarriedCounts;
  /** Told when the run starts a pause for the rate limit longer than NOTICE_AFTER_MS. */
  readonly onWait?: (wait: RateWait) => void;
  /** Events waiting in open batches at most (the read-ahead window); default 1,000 (measured: 10,000 took the interleaved bench to 257 MB, 1,000 to 197 MB). */
  readonly maxPending?: number;
}

const DEFAULT_MAX_PENDING = 1_000;
type Row = EventRow;
type Rows = EventRows;

export class EventRun {
  readonly #options: EventRunOptions;
  readonly #deps: EventRunDeps;
  readonly #ledger: RunLedger;
  readonly #state: EventState;
  /** Accepted requests, recorded in the state file once per turn of the event loop. */
  readonly #acceptedQueue: AcceptedQueue;
  readonly #ids = new EventIds();
  readonly #watch: FailureWatch;
  #sender: EventSender | undefined;

  constructor(options: EventRunOptions, deps: EventRunDeps = {}) {
    this.#options = options;
    this.#deps = deps;
    this.#ledger = new RunLedger(options, deps);
    this.#watch = new FailureWatch(options.mapping, options.delivery?.breaker, "events");
    this.#state = deps.state ?? NO_EVENT_STATE;
    this.#acceptedQueue = new AcceptedQueue(this.#state, (error) => this.#ledger.stopFor(error));
  }

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

  async execute(): Promise<Report> {
    const ledger = this.#ledger;
    const { delivery } = this.#options;
    const window = new Window(startingWindow(delivery?.concurrency ?? 1, delivery?.breaker));
    let run: RunDelivery | undefined;
    try {
      ledger.deadLetter.open();
      if (delivery !== undefined) {
        run = openDelivery(delivery, ledger, { ...this.#deps, path: EVENTS_PATH });
      }
      this.#sender = new EventSender({
        ledger,
        watch: this.#watch,
        accepted: this.#acceptedQueue,
        window,
        deps: run?.deps,
        concurrency: delivery?.concurrency ?? 1,
        fail: (rows, payload, failure, attempts, permanent) =>
          this.#fail(rows, payload, failure, attempts, permanent),
        sample: this.#options.sample ?? 0,
        onSample: this.#deps.onSample,
      });
      await this.#readAll(window, this.#sender);
    } catch (error) {
      ledger.stopFor(error);
    }
    await window.drain();
    try {
      this.#acceptedQueue.flush();
    } catch (error) {
      ledger.stopFor(error);
    }
    await this.#watch.explain(ledger);
    ledger.deadLetter.close();
    await run?.close();
    ledger.finish();
    return this.snapshot();
  }

  async #readAll(window: Window, sender: EventSender): Promise<void> {
    const ledger = this.#ledger;
    const { input, format, mapping } = this.#options;
    const layout = mapping?.source;
    const source = openInput(this.#options, layout, this.#deps.stdin, ledger.stop);
    const batcher = new Batcher<Rows>({
      waitMs: this.#options.batchWaitMs,
      maxPending: this.#deps.maxPending ?? DEFAULT_MAX_PENDING,
    });
    const groupBy = mapping?.items?.groupBy;
    const groups = groupBy === undefined ? undefined : new ItemGroups<Row>(groupBy.column);
    const markers: ReadonlySet<string> = new Set(layout?.emptyValues.map((m) => m.trim()));
    const stored = new StoredEvents(input); // without a mapping: a dead-letter file replayed
    // --canary N: the first N events (a group of rows is one) are sent and awaited before the next.
    const canary = this.#options.delivery?.canary ?? 0;
    let taken = 0;
    const canaryLets = (rows: Rows): true | Promise<boolean> => {
      if (taken++ !== canary || canary === 0) return true; // no promise: this runs for every event
      return (async () => {
        await send(batcher.flush()); // the canary's events, all of them
        if (await canaryLived(canary, "events", () => window.drain(), ledger, this.#watch))
          return true;
        ledger.notAttemptedRows(rows); // the event in hand
        return false;
      })();
    };
    const takeStored = async (events: StoredEvent[]) => {
      for (const e of events) {
        if (!(await canaryLets(e.rows))) return;
        if (e.kind === "failed") this.#fail(e.rows, e.payload, e.failure, 0, true);
        else if (this.#state.knownEvent(e.event)) this.#unchanged(e.rows);
        else await send(batcher.add(e.identity, { event: e.event, from: e.rows }, ledger.now()));
      }
    };
    // The reading loop and the due timer both send, one list after the other: file order per user.
    let sending = Promise.resolve();
    const send = (batches: Batch<Rows>[]): Promise<void> => {
      if (batches.length === 0) return sending;
      sending = sending.then(async () => {
        for (const batch of batches) await sender.dispatch(batch);
      });
      return sending;
    };
    const timer = new DueTimer({
      periodMs: tickPeriodMs(this.#options.batchWaitMs),
      tick: () => (batcher.pending === 0 ? sending : send(batcher.due(ledger.now()))),
      onError: (error) => ledger.stopFor(error),
      stop: ledger.stop,
    });
    timer.start(); // sends what falls due while the input stalls
    // A dead-letter file given as input is replayed (decided on its first row): each record's
    // original row is mapped again, as the format it was read in, under its original line.
    let replay: boolean | undefined;
    let rowFormat = format;
    // A finished event (or failed group): a promise only when there is something to wait for
    // (a batch to send, the canary), not one per row.
    const take = (group: Group<Row> | undefined): Promise<void> | undefined => {
      if (group === undefined) return undefined;
      // A group's rows end together (one commit), so an interrupted pass did all of them or none.
      const done = group.rows[0]?.done === true;
      const lets = done || canaryLets(group.rows);
      if (lets !== true) return lets.then((ok) => (ok ? place(group, done) : undefined));
      return place(group, done);
    };
    const place = (group: Group<Row>, done: boolean): Promise<void> | undefined => {
      if (!group.ok) {
        if (!done) for (const row of group.rows) this.#fail([row], null, row.failure, 0, true);
        return undefined;
      }
      const { draft } = group;
      const claimed = group.rows[0]?.occurrence;
      const { event, occurrence } = namedRecord(draft, this.#ids, claimed);
      if (done) return undefined; // counted among identical events, so the next one keeps its id
      const rows =
        occurrence === undefined || occurrence === 1 || occurrence === claimed
          ? group.rows
          : group.rows.map((row) => ({ ...row, occurrence }));
      if (itemCount(event) > MAX_ITEMS_PER_REQUEST) {
        const message = `${itemCount(event)} items, over the API's ${MAX_ITEMS_PER_REQUEST} per request`;
        this.#fail(rows, null, rowFailure("mapping", "TOO_MANY_ITEMS", message), 0, true);
        return undefined;
      }
      if (this.#state.knownEvent(event)) {
        this.#unchanged(rows);
        return undefined;
      }
      const ready = batcher.add(draft.identity, { event, from: rows }, ledger.now());
      return ready.length === 0 ? undefined : send(ready);
    };
    for await (const item of source) {
      if (ledger.stop.aborted) break;
      ledger.deadLetter.start();
      if (item.kind === "header") {
        if (mapping !== null) checkColumns(mapping, item.columns, input);
        continue;
      }
      if (item.kind === "row" && mapping !== null && isBlank(item.cells, markers)) {
        ledger.count.blank++; // beside rows, not in it: never sent, never a failure
        continue;
      }
      const at = item.line;
      // Done by an interrupted pass of this run: not counted again, mapped only for the event ids.
      const done = this.#state.skip(at);
      if (!done) ledger.count.rows++;
      if (item.kind === "invalid") {
        const row: Row = { line: at, at, row: item.raw, format, ...(done ? { done } : {}) };
        // In grouped rows, an unreadable record fails the event it may have been part of.
        if (groups !== undefined) groups.pushUnreadable(row, item.failure);
        else if (!done) this.#fail([row], null, item.failure, 0, true);
        continue;
      }
      if (mapping === null) {
        if (done) continue; // a stored event keeps its stored id
        await takeStored(stored.push(item.cells, item.line));
        await send(batcher.due(ledger.now()));
        continue;
      }
      replay ??= format === "ndjson" && isDeadLetterRecord(item.cells);
      let { line, cells } = item;
      let claimed: number | undefined;
      if (replay) {
        const r = toReplayItem(item.cells, item.line);
        if (r.kind === "unreadable") {
          if (!done)
            this.#fail([{ line: r.line, at, row: r.row, format }], null, r.failure, 0, true);
          continue;
        }
        ({ line, cells } = r);
        rowFormat = r.format;
        claimed = r.occurrence;
      }
      const result = applyEventMapping(
        mapping,
        replay ? { kind: "row", line, cells } : item,
        rowFormat,
      );
      // The common row without spreads of empty objects: one object of one shape.
      const row: Row =
        claimed === undefined && !done
          ? { line, row: cells, format: rowFormat, at }
          : {
              line,
              row: cells,
              format: rowFormat,
              at,
              ...(claimed === undefined ? {} : { occurrence: claimed }),
              ...(done ? { done } : {}),
            };
      const taking =
        groups !== undefined && groupBy !== undefined
          ? take(groups.push(groupBy.read(cells), row, result))
          : take(
              result.ok
                ? { ok: true, rows: [row], draft: result.draft }
                : { ok: false, rows: [{ ...row, failure: result.failure }] },
            );
      if (taking !== undefined) await taking;
      await send(batcher.due(ledger.now())); // also waits for what the timer sent: the read-ahead
    }
    await timer.stop();
    if (!ledger.stop.aborted) {
      ledger.deadLetter.start();
      await take(groups?.flush());
      if (mapping === null) await takeStored(stored.flush());
    }
    await send(batcher.flush());
  }

  /** Counters for progress display, while the run goes on. */
  progress(): Progress {
    return this.#ledger.progress();
  }

  /** An event's rows whose event an earlier run had accepted: not sent, recorded in the state. */
  #unchanged(rows: Rows): void {
    for (const { at } of rows) this.#state.unchanged(at);
    this.#ledger.count.unchanged += rows.length;
  }

  /**
   * Dead-letters one event's rows, recorded in the state file in one commit. A row refused for
   * good (`permanent`) the same way as on an earlier run is still failing.
   */
  #fail(
    rows: Rows,
    payload: EventsRequestBody | null,
    failure: RowFailure,
    attempts: number,
    permanent = false,
  ): void {
    const written: number[] = [];
    for (const row of rows) {
      const record = deadLetterRecord(row, payload, failure, attempts, this.#ledger.now());
      if (!this.#ledger.deadLettered(record, failure, permanent)) continue;
      written.push(row.at);
      if (permanent && this.#state.stillFailing(row.row, record.error)) this.#ledger.stillFailing();
    }
    this.#state.deadLetteredRows(written);
  }

  /** The report as of now; final once `execute()` has resolved. */
  snapshot(): Report {
    return this.#ledger.snapshot();
  }
}
