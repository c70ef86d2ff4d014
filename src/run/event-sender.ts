/**
 * import-events' sending side: a batch waits for a free slot of the window and for its user's
 * earlier batches (file order, never two at once), then goes as one request. A refused batch
 * (40001, HTTP 400) is split in halves until the bad events are alone: only they are
 * dead-lettered. 40402 means a batch broke the API's size rules: a bug (exit 70).
 */
import { RESULT_CODES } from "../api/dfinery.js";
import type { EventsRequestBody } from "../api/events.js";
import { type DeliveryDeps, type DeliveryOutcome, deliverBody } from "../delivery/deliver.js";
import { IdentityOrder } from "../delivery/identity-order.js";
import type { RowFailure } from "../errors.js";
import type { GroupRow } from "../mapping/item-groups.js";
import type { SourceFormat } from "../source/types.js";
import type { AcceptedQueue } from "./accepted-queue.js";
import { type Batch, itemCount } from "./event-batcher.js";
import type { FailureWatch } from "./failure-watch.js";
import type { RunLedger } from "./ledger.js";
import { widen } from "./slow-start.js";
import type { Window } from "./window.js";

/**
 * A row as read. `at`: the line it was read at (`line` is a replayed row's original line);
 * `done`: an interrupted pass of this run did it (mapped only to count identical events).
 */
export type EventRow = GroupRow & {
  readonly format: SourceFormat;
  readonly at: number;
  readonly done?: true;
};
export type EventRows = readonly EventRow[];

/** Dead-letters one event's rows (the run's own bookkeeping: dead letters, state, breaker). */
export type FailRows = (
  rows: EventRows,
  payload: EventsRequestBody | null,
  failure: RowFailure,
  attempts: number,
  permanent: boolean,
) => void;

export interface EventSenderParts {
  readonly ledger: RunLedger;
  readonly watch: FailureWatch;
  readonly accepted: AcceptedQueue;
  readonly window: Window;
  /** Absent: a dry run (every batch counts as valid, nothing is sent). */
  readonly deps: DeliveryDeps | undefined;
  /** The window's full width, once an event has been accepted (slow start). */
  readonly concurrency: number;
  readonly fail: FailRows;
  /** Told of the first `sample` request bodies as they would be sent. */
  readonly sample: number;
  readonly onSample: ((body: EventsRequestBody) => void) | undefined;
}

export class EventSender {
  readonly #p: EventSenderParts;
  readonly #order = new IdentityOrder();
  #sampled = 0;
  #requests = 0;
  #batches = 0;

  constructor(parts: EventSenderParts) {
    this.#p = parts;
  }

  /** Batches made (a dry run: the requests it would send, refused ones not split). */
  get batches(): number {
    return this.#batches;
  }

  /** Requests sent (batches, halves of refused ones, retries not counted). */
  get requests(): number {
    return this.#requests;
  }

  /** Sends a batch when a slot is free; the user's earlier batches finish first. */
  async dispatch(batch: Batch<EventRows>): Promise<void> {
    const { ledger, window, deps } = this.#p;
    this.#batches++;
    this.#sample(batch);
    if (deps === undefined) {
      for (const { from } of batch.events) ledger.count.accepted += from.length; // dry run: valid
      return;
    }
    const turn = this.#order.acquire(batch.identity); // taken now: file order
    const key = this.#batches; // on its way: a forced exit's report names its first line
    ledger.started(key, batch.events[0]?.from[0]?.line ?? 0);
    await window.acquire();
    void (async () => {
      const release = await turn;
      try {
        await this.#send(batch, deps, key);
      } catch (error) {
        ledger.stopFor(error);
      } finally {
        ledger.finished(key);
        release();
        window.release();
        widen(window, this.#p.concurrency, ledger.lived > 0);
      }
    })();
  }

  /**
   * One batch to its end; a refused batch of several events is split in halves. `key`: the batch
   * it came from, whose refused events are one step of the breaker's streak (one user's bad
   * events, refused one after another, are not a broken mapping).
   */
  async #send(batch: Batch<EventRows>, deps: DeliveryDeps, key: number): Promise<void> {
    const { ledger, watch } = this.#p;
    const rowsOf = (b: Batch<EventRows>) => b.events.flatMap((e) => e.from);
    if (ledger.stop.aborted) return ledger.notAttemptedRows(rowsOf(batch));
    const body = requestBody(batch);
    this.#requests++;
    const outcome: DeliveryOutcome = await deliverBody(() => body, deps);
    if (outcome.kind === "accepted") {
      const rows = rowsOf(batch);
      this.#p.accepted.add(
        rows.map((row) => row.at),
        batch.events.map((e) => e.event),
      );
      ledger.count.accepted += rows.length;
      watch.accepted(batch.events.length);
      return;
    }
    if (outcome.kind === "not-attempted") return ledger.notAttemptedRows(rowsOf(batch));
    const { failure } = outcome;
    if (failure.code === RESULT_CODES.TOO_MANY_EVENTS) {
      ledger.stopFor(
        new Error(
          `the API answered 40402 to a batch of ${batch.events.length} events and ${batch.items} items: a bug in batching (${failure.message})`,
        ),
      );
      return ledger.notAttemptedRows(rowsOf(batch));
    }
    if (!outcome.permanent || batch.events.length === 1) {
      for (const { event, from } of batch.events) {
        const payload = { common: { identity: batch.identity }, events: [event] };
        this.#p.fail(from, payload, failure, outcome.attempts, outcome.permanent);
      }
      const trip = outcome.permanent ? watch.refused(failure, undefined, key) : undefined; // one event
      if (trip !== undefined) ledger.halt("breaker", watch.tripMessage(trip));
      return;
    }
    const half = Math.ceil(batch.events.length / 2);
    for (const events of [batch.events.slice(0, half), batch.events.slice(half)]) {
      const items = events.reduce((sum, e) => sum + itemCount(e.event), 0);
      await this.#send({ identity: batch.identity, events, items }, deps, key);
    }
  }

  #sample(batch: Batch<EventRows>): void {
    const { sample, onSample } = this.#p;
    if (this.#sampled >= sample || onSample === undefined) return;
    this.#sampled++;
    onSample(requestBody(batch));
  }
}

export function requestBody(batch: Batch<unknown>): EventsRequestBody {
  return { common: { identity: batch.identity }, events: batch.events.map((e) => e.event) };
}
