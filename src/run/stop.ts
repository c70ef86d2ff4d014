/**
 * Why an error ends a run, shared by the profile and event runs: the user's (input, mapping,
 * output: exit 2) or ours (a bug: exit 70, its stack kept for the CLI to print).
 */
import { ImporterError } from "../errors.js";
import type { StopReason } from "../sinks/report.js";

export function stopOf(error: unknown): { reason: StopReason; message: string; bug: boolean } {
  if (error instanceof ImporterError && (error.code === "E_INPUT" || error.code === "E_CONFIG")) {
    return { reason: "input", message: error.message, bug: false };
  }
  if (error instanceof ImporterError && error.code === "E_OUTPUT") {
    return { reason: "output", message: error.message, bug: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason: "internal", message, bug: true };
}

/** Wires the run's outside stops: Ctrl-C (`interrupt`) and an output failing (the log). */
export function listenForStops(
  deps: {
    readonly interrupt: AbortSignal | undefined;
    readonly outputFailure: AbortSignal | undefined;
  },
  onInterrupt: () => void,
  onFailure: (reason: unknown) => void,
): void {
  deps.interrupt?.addEventListener("abort", onInterrupt, { once: true });
  const failure = deps.outputFailure;
  if (failure?.aborted === true) onFailure(failure.reason);
  failure?.addEventListener("abort", () => onFailure(failure.reason), { once: true });
}
