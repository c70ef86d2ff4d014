/**
 * import-events' slow start: until the API has accepted a first event, only as many requests go
 * at once as the circuit breaker needs refusals to trip (20), not --concurrency (1,000). A file the
 * API refuses whole (an unregistered event or property) then costs tens to hundreds of requests,
 * and its dead-letter file holds tens to hundreds of events, not thousands; a good file loses one
 * round trip.
 */
import { type BreakerOptions, DEFAULT_BREAKER } from "../delivery/breaker.js";
import type { Window } from "./window.js";

/** The requests in flight at most before the first acceptance. */
export function startingWindow(concurrency: number, breaker = DEFAULT_BREAKER): number {
  return breakerOff(breaker) ? concurrency : Math.min(concurrency, breaker.sameCodeInARow);
}

const breakerOff = (breaker: BreakerOptions) => breaker.maxErrorRate >= 1;

/** After an answer: the full window once anything was accepted. */
export function widen(window: Window, concurrency: number, accepted: boolean): void {
  if (accepted && window.size < concurrency) window.resize(concurrency);
}
