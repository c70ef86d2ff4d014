/**
 * The requests of an import-events run that DFINERY accepted, written to the state file together
 * once per turn of the event loop instead of one commit each: the answers that arrive together
 * are committed together (measured on the events bench: see bench/README.md,
 * "import-events --state"). Each request is in one commit whole, so a resume stays exact at the request: after a
 * kill, only the requests in flight, or answered in the turn before it, are sent again.
 */
import type { Pending } from "./kind.js";
import type { IdentifiedEvent, RunState } from "./state-link.js";

export class AcceptedQueue {
  #ats: number[] = [];
  #events: IdentifiedEvent[] = [];
  #scheduled = false;

  /** `onError`: what a deferred write that failed (the state file) is told to. */
  constructor(
    readonly state: RunState,
    readonly onError: (error: unknown) => void,
  ) {}

  /** A request's events were accepted, with the rows they came from. */
  add(units: readonly Pending<IdentifiedEvent>[]): void {
    for (const { unit, rows } of units) {
      for (const row of rows) this.#ats.push(row.at);
      this.#events.push(unit);
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      try {
        this.flush();
      } catch (error) {
        this.onError(error);
      }
    });
  }

  /** Writes what is queued, now (also at the run's end). Throws what the state file throws. */
  flush(): void {
    this.#scheduled = false;
    if (this.#ats.length === 0) return;
    const ats = this.#ats;
    const events = this.#events;
    this.#ats = [];
    this.#events = [];
    this.state.acceptedEvents(ats, events);
  }
}
