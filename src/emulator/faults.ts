/**
 * Injected faults and delays, decided by an injectable random source so tests can be exact.
 *
 * One draw `r` per request decides its fault: `r < resetRate` → the connection is destroyed;
 * `r < resetRate + failRate` → a server error. With `failAs: "both"` the same draw picks the form:
 * the lower half of the fail band answers HTTP 500, the upper half HTTP 200 with code 50000.
 * No draw is made when both rates are 0; a second draw (jitter) only when `jitterMs > 0`.
 */

import type { EmulatorOptions } from "./options.js";

export type Fault = "reset" | "http500" | "code50000";

type FaultOptions = Pick<EmulatorOptions, "resetRate" | "failRate" | "failAs">;
type DelayOptions = Pick<EmulatorOptions, "latencyMs" | "jitterMs">;

export function drawFault(options: FaultOptions, random: () => number): Fault | undefined {
  const { resetRate, failRate, failAs } = options;
  if (resetRate === 0 && failRate === 0) return undefined;
  const r = random();
  if (r < resetRate) return "reset";
  if (r >= resetRate + failRate) return undefined;
  if (failAs !== "both") return failAs;
  return (r - resetRate) / failRate < 0.5 ? "http500" : "code50000";
}

/** Milliseconds to wait before answering: the latency plus a uniform 0..jitter. */
export function drawDelay(options: DelayOptions, random: () => number): number {
  return options.jitterMs > 0 ? options.latencyMs + random() * options.jitterMs : options.latencyMs;
}
