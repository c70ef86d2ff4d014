/**
 * The run's sending side, for every kind: a batch waits for a free slot of the window and for its
 * user's earlier batches (file order, never two at once), then goes as one request. A refused
 * batch (40001, HTTP 400, and 40402: a server may hold a smaller size limit than its guide says)
 * is split in halves until the bad units are alone: only they are dead-lettered.
 */
import type { Identity } from "../api/dfinery.js";
import { type DeliveryDeps, type DeliveryOutcome, deliverBodyThen } from "../delivery/deliver.js";
import { IdentityOrder, type Turn } from "../delivery/identity-order.js";
import type { RowFailure } from "../errors.js";
import type { DeadLetterRecord } from "../sinks/dead-letter.js";
import type { Batch } from "./batcher.js";
import type { FailureWatch } from "./failure-watch.js";
import type { Kind, KindState, Pending, Row } from "./kind.js";
import type { RunLedger } from "./ledger.js";
import { widen } from "./slow-start.js";
import type { Window } from "./window.js";

/** Dead-letters one unit's rows (the run's own bookkeeping: dead letters, state). */
export type FailRows = (
  rows: readonly Row[],
  payload: DeadLetterRecord["payload"],
  failure: RowFailure,
  attempts: number,
  permanent: boolean,
) => void;

export interface SenderParts<U> {
  readonly kind: Kind<U>;
  readonly ledger: RunLedger;
  readonly watch: FailureWatch;
  readonly state: KindState<U>;
  readonly window: Window;
  /** Absent: a dry run (every batch counts as valid, nothing is sent). */
  readonly deps: DeliveryDeps | undefined;
  /** The window's full width, once a unit has been accepted (slow start). */
  readonly width: number;
  /**
   * What a batch that found the full-width window full waits to be free (≥ 1): the batches read
   * after it then find slots free and go without a promise each (the reader is faster than the
   * sending: without it, every row of a long run waits for a slot of its own).
   */
  readonly room: number;
  /**
   * With --state: the units sent and not yet saved in the state file, at most (MAX_UNSAVED): what
   * a kill -9 can make a resumed run send again, whatever --concurrency.
   */
  readonly unsaved: Window | undefined;
  readonly fail: FailRows;
  /** An unchanged unit's rows (a profile's properties as DFINERY holds them). */
  readonly unchanged: (rows: readonly Row[]) => void;
  /** The same, for the one row at `at` of a unit (a row known unchanged as it was read). */
  readonly unchangedAt: (at: number) => void;
  /** Told of the first `sample` request bodies as they would be sent. */
  readonly sample: number;
  readonly onSample: ((body: object) => void) | undefined;
}

const rowsOf = <U>(b: Batch<U>): Row[] => b.units.flatMap((e) => e.rows);

/** With --state, the units (rows, events) in flight and not yet saved at most. */
export const MAX_UNSAVED = 2_000;

export class Sender<U> {
  readonly #p: SenderParts<U>;
  readonly #order = new IdentityOrder();
  /** The lists of batches waiting for a slot, one after the other: file order per user. */
  #chain: Promise<void> = Promise.resolve();
  /** Lists in the chain not yet dispatched (one that failed stays: its rejection is awaited). */
  #queued = 0;
  readonly #dequeued = (): void => {
    this.#queued--;
  };
  #sampled = 0;
  #requests = 0;
  #batches = 0;

  constructor(parts: SenderParts<U>) {
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

  /** A dry run's batch: valid, or unchanged (asked now: nothing is accepted to change the answer). */
  count(batch: Batch<U>): void {
    const { ledger, state } = this.#p;
    this.#batches++;
    this.#sample(batch);
    for (const pending of batch.units) {
      if (state.knownAtTurn(pending)) this.#p.unchanged(pending.rows);
      else ledger.count.accepted += pending.rows.length;
    }
  }

  /** Whether the identity has no batch waiting or in flight: a unit of it would have its turn now. */
  idle(identity: Identity): boolean {
    return this.#order.idle(identity);
  }

  /**
   * A unit found unchanged when its turn came as it was read (its user had nothing in flight):
   * counted and sampled as the batch of one it would have been, never sent.
   */
  unchangedAtRead(identity: Identity, pending: Pending<U>): void {
    this.#batches++;
    if (this.#sampled < this.#p.sample) this.#sample({ identity, units: [pending], weight: 1 });
    this.#p.unchanged(pending.rows);
  }

  /**
   * The row at `at`, known unchanged as it was read, before mapping (state/row-key.ts): counted
   * as the batch of one it would have been, never sent. Asked only once the sample is taken
   * (`sampled`). By its place alone: a nightly's ~99 % of rows have no Row made for them.
   */
  unchangedAsRead(at: number): void {
    this.#batches++;
    this.#p.unchangedAt(at);
  }

  /**
   * As `unchangedAsRead` for `count` rows at once, whose state and counts the run kept itself (a
   * run of the diff worker's known rows, run.ts `knownRun`): counted as the batches of one they
   * would have been.
   */
  unchangedRunAsRead(count: number): void {
    this.#batches += count;
  }

  /** Whether the sample of request bodies is taken: a row not mapped has no body to show. */
  get sampled(): boolean {
    return this.#p.onSample === undefined || this.#sampled >= this.#p.sample;
  }

  /**
   * Dispatches `batches` after the lists queued before (the reading loop's and the due timer's, in
   * the order they came). What to wait for before reading on: the chain while a list in it still
   * waits for a slot; nothing once all have gone (a batch that found a slot free costs no promise).
   */
  enqueue(batches: readonly Batch<U>[], deps: DeliveryDeps): Promise<void> | undefined {
    if (this.#queued > 0) return this.#after(this.#chain, batches, deps);
    try {
      for (let i = 0; i < batches.length; i++) {
        const wait = this.dispatch(batches[i] as Batch<U>, deps);
        if (wait !== undefined) return this.#after(wait, batches.slice(i + 1), deps);
      }
    } catch (error) {
      return this.#after(Promise.reject(error), [], deps);
    }
    return undefined;
  }

  /** The chain: settled once every list queued has been dispatched. */
  get chain(): Promise<void> {
    return this.#chain;
  }

  /** What to wait for before reading on: the chain while a list in it waits; else nothing. */
  get waiting(): Promise<void> | undefined {
    return this.#queued === 0 ? undefined : this.#chain;
  }

  #after(wait: Promise<void>, batches: readonly Batch<U>[], deps: DeliveryDeps): Promise<void> {
    this.#queued++;
    this.#chain =
      batches.length === 0
        ? wait.then(this.#dequeued)
        : wait.then(async () => {
            for (const batch of batches) await this.dispatch(batch, deps);
            this.#queued--;
          });
    return this.#chain;
  }

  /**
   * Sends a batch when a slot is free; the user's earlier batches finish first. What to wait for
   * before the next dispatch: nothing when a slot was free (no promise a batch).
   */
  dispatch(batch: Batch<U>, deps: DeliveryDeps): Promise<void> | undefined {
    const { ledger, window, unsaved } = this.#p;
    this.#batches++;
    this.#sample(batch);
    const turn = this.#order.acquire(batch.identity); // taken now: file order
    this.#p.state.began?.(batch.units);
    const key = this.#batches; // on its way: a forced exit's report names its first line
    ledger.started(key, batch.units[0]?.rows[0] ?? { at: 0, line: 0 });
    const weight = batch.units.length;
    if (unsaved === undefined && window.tryAcquire()) {
      this.#go(batch, deps, key, turn, weight);
      return undefined;
    }
    return this.#dispatchLater(batch, deps, key, turn, weight);
  }

  /** The batch once a slot is free (and, with --state, room among the unsaved units). */
  #dispatchLater(
    batch: Batch<U>,
    deps: DeliveryDeps,
    key: number,
    turn: Turn,
    weight: number,
  ): Promise<void> {
    const { window, unsaved } = this.#p;
    const go = (): void => this.#go(batch, deps, key, turn, weight);
    if (unsaved === undefined) {
      return window.acquire(1, window.size >= this.#p.width ? this.#p.room : 1).then(go);
    }
    const room = (): Promise<void> | void =>
      unsaved.tryAcquire(weight) ? go() : unsaved.acquire(weight).then(go); // no turn more without --state
    return window.tryAcquire() ? Promise.resolve(room()) : window.acquire().then(room);
  }

  /**
   * The batch, once its slot is taken: sent at its turn, then its slot and turn given back
   * (callbacks, not promises or an async function: they were most of a request's allocations).
   */
  #go(batch: Batch<U>, deps: DeliveryDeps, key: number, turn: Turn, weight: number): void {
    const finished = (): void => this.#finished(batch, key, turn, weight);
    if (turn.ready === undefined) this.#sendThen(batch, deps, key, finished);
    else void turn.ready.then(() => this.#sendThen(batch, deps, key, finished));
  }

  /** The batch sent, then `ended`, whatever it came to; a bug (or the state file failing) stops the run. */
  #sendThen(batch: Batch<U>, deps: DeliveryDeps, key: number, ended: () => void): void {
    const failed = (error: unknown): void => {
      this.#stopFor(error);
      ended();
    };
    try {
      this.#deliver(this.#changed(batch), deps, key, ended, failed);
    } catch (error) {
      failed(error);
    }
  }

  readonly #stopFor = (error: unknown): void => this.#p.ledger.stopFor(error);

  /** A batch's end, whatever it came to: its slot and turn given back. */
  #finished(batch: Batch<U>, key: number, turn: Turn, weight: number): void {
    const { ledger, window, unsaved } = this.#p;
    this.#p.state.settled?.(batch.units);
    ledger.finished(key);
    turn.release();
    if (unsaved === undefined) {
      window.release();
      widen(window, this.#p.width, ledger.lived > 0);
      return;
    }
    // Saved by the next turn: the kinds' accepted queues write then (their turn was taken first),
    // and only then is the slot given back, so what a kill -9 sends again (in flight, or answered
    // and not yet saved) stays within the window (accepted-queue.ts).
    setImmediate(() => {
      unsaved.release(weight);
      window.release();
      widen(window, this.#p.width, ledger.lived > 0);
    });
  }

  /** The batch without the units whose turn found them unchanged (profiles, with --state). */
  #changed(batch: Batch<U>): Batch<U> {
    const { state } = this.#p;
    let units: Pending<U>[] | undefined;
    for (let i = 0; i < batch.units.length; i++) {
      const pending = batch.units[i] as Pending<U>;
      if (!state.knownAtTurn(pending)) {
        units?.push(pending);
        continue;
      }
      units ??= batch.units.slice(0, i);
      this.#p.unchanged(pending.rows);
    }
    if (units === undefined) return batch;
    return { identity: batch.identity, units, weight: this.#weigh(units) };
  }

  #weigh(units: readonly Pending<U>[]): number {
    const { weight } = this.#p.kind.limits;
    return units.reduce((sum, e) => sum + weight(e.unit), 0);
  }

  /**
   * One batch to its end; a refused batch of several units is split in halves. `key`: the batch
   * it came from, whose refused units are one step of the breaker's streak (one user's bad
   * events, refused one after another, are not a broken mapping).
   */
  #send(batch: Batch<U>, deps: DeliveryDeps, key: number): Promise<void> {
    return new Promise((ended, failed) => this.#deliver(batch, deps, key, ended, failed));
  }

  /** `#send` told by callbacks: `ended` once the batch (and its halves) ended, else `failed`. */
  #deliver(
    batch: Batch<U>,
    deps: DeliveryDeps,
    key: number,
    ended: () => void,
    failed: (error: unknown) => void,
  ): void {
    const { ledger, kind } = this.#p;
    if (batch.units.length === 0) {
      ended(); // every unit was found unchanged at its turn: nothing to send
      return;
    }
    if (ledger.stop.aborted) {
      ledger.notAttemptedRows(rowsOf(batch));
      ended();
      return;
    }
    const now = ledger.now;
    this.#requests++;
    deliverBodyThen(
      {
        body: () => kind.body(batch.identity, batch.units, now()),
        ended: (outcome) => {
          let more: Promise<void> | undefined;
          try {
            more = this.#ended(batch, outcome, deps, key);
          } catch (error) {
            failed(error);
            return;
          }
          if (more === undefined) ended();
          else more.then(ended, failed);
        },
        failed,
      },
      deps,
    );
  }

  /** What a batch's outcome comes to; a promise while its halves are sent. */
  #ended(
    batch: Batch<U>,
    outcome: DeliveryOutcome,
    deps: DeliveryDeps,
    key: number,
  ): Promise<void> | undefined {
    const { ledger, watch, kind } = this.#p;
    if (outcome.kind === "accepted") {
      this.#p.state.accepted(batch.units);
      let rows = 0;
      for (const unit of batch.units) rows += unit.rows.length;
      ledger.count.accepted += rows;
      watch.accepted(batch.units.length);
      return;
    }
    if (outcome.kind === "not-attempted") {
      ledger.notAttemptedRows(rowsOf(batch));
      return;
    }
    const { failure } = outcome;
    const parts = batch.units.length === 1 ? batch.units[0]?.parts : undefined;
    if (outcome.permanent && parts !== undefined) return this.#sendParts(batch, parts, deps, key);
    if (!outcome.permanent || batch.units.length === 1) {
      for (const { unit, rows } of batch.units.flatMap((u) => u.parts ?? [u])) {
        const payload = kind.payload(batch.identity, unit);
        this.#p.fail(rows, payload, failure, outcome.attempts, outcome.permanent);
      }
      const one = batch.units[0]?.unit;
      const update = one === undefined ? undefined : kind.diagnosis?.update(one);
      const trip = outcome.permanent ? watch.refused(failure, update, key) : undefined;
      if (trip !== undefined) ledger.halt("breaker", watch.tripMessage(trip));
      return;
    }
    return this.#halves(batch, deps, key);
  }

  /** A refused batch of several units: its halves, one after the other. */
  async #halves(batch: Batch<U>, deps: DeliveryDeps, key: number): Promise<void> {
    const half = Math.ceil(batch.units.length / 2);
    for (const units of [batch.units.slice(0, half), batch.units.slice(half)]) {
      await this.#send({ identity: batch.identity, units, weight: this.#weigh(units) }, deps, key);
    }
  }

  /**
   * A merged unit refused for good (--group-by-identity): its parts again, in halves merged in
   * file order, until the refused ones are alone (the same end state as sending each in order).
   */
  async #sendParts(
    batch: Batch<U>,
    parts: readonly Pending<U>[],
    deps: DeliveryDeps,
    key: number,
  ): Promise<void> {
    const merge = this.#p.kind.merge;
    const half = Math.ceil(parts.length / 2);
    for (const some of [parts.slice(0, half), parts.slice(half)]) {
      const first = some[0] as Pending<U>;
      const unit =
        some.length === 1 || merge === undefined
          ? first
          : {
              unit: some.slice(1).reduce((merged, p) => merge(merged, p.unit), first.unit),
              rows: some.flatMap((p) => p.rows),
              parts: some,
            };
      const units = [unit];
      const weight = this.#weigh(units);
      await this.#send(this.#changed({ identity: batch.identity, units, weight }), deps, key);
    }
  }

  #sample(batch: Batch<U>): void {
    const { sample, onSample, kind, ledger } = this.#p;
    if (this.#sampled >= sample || onSample === undefined) return;
    this.#sampled++;
    onSample(kind.body(batch.identity, batch.units, ledger.now()));
  }
}
