/**
 * What DFINERY accepted, written to the state file together once per turn of the event loop
 * instead of one commit a request: the answers that arrive together are committed together
 * (measured on the events bench and the nightly diff: see bench/README.md, "import-events
 * --state" and "accepted rows committed together"). Each request is in one commit whole, so a
 * resume stays exact at the request: after a kill, only the requests in flight, or answered in
 * the turn before it, are sent again (with --state the sender gives a request's slot back in
 * that same later turn, so the two together stay within the window).
 */
import type { Pending } from "./kind.js";
import type { IdentifiedEvent, RunState } from "./state-link.js";

/** Runs `write` once after the turn of the event loop in hand, however often asked in it. */
export class TurnWrite {
  #scheduled = false;

  /** `onError`: what a deferred write that failed (the state file) is told to. */
  constructor(
    readonly write: () => void,
    readonly onError: (error: unknown) => void,
  ) {}

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      try {
        this.now();
      } catch (error) {
        this.onError(error);
      }
    });
  }

  /** Writes now (also at the run's end). Throws what the state file throws. */
  now(): void {
    this.#scheduled = false;
    this.write();
  }
}

/** import-events: a request's events, with the rows they came from. */
export class AcceptedQueue {
  #ats: number[] = [];
  #events: IdentifiedEvent[] = [];
  readonly #turn: TurnWrite;

  constructor(
    readonly state: RunState,
    onError: (error: unknown) => void,
  ) {
    this.#turn = new TurnWrite(() => this.#write(), onError);
  }

  /** A request's events were accepted, with the rows they came from. */
  add(units: readonly Pending<IdentifiedEvent>[]): void {
    for (const { unit, rows } of units) {
      for (const row of rows) this.#ats.push(row.at);
      this.#events.push(unit);
    }
    this.#turn.schedule();
  }

  /** Writes what is queued, now (also at the run's end). Throws what the state file throws. */
  flush(): void {
    this.#turn.now();
  }

  #write(): void {
    if (this.#ats.length === 0) return;
    const ats = this.#ats;
    const events = this.#events;
    this.#ats = [];
    this.#events = [];
    this.state.acceptedEvents(ats, events);
  }
}
