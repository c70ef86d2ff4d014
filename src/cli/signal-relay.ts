/**
 * The bin's signals. Its listeners are put on the process before anything else runs, so a SIGINT,
 * SIGTERM or SIGHUP never meets the default action (death by the signal, no exit code, no report):
 * while a run is supervised, the signal goes to the run (it stops gracefully, or is forced by a
 * second SIGINT or SIGTERM); at any other moment (before the run starts, after it ended) it ends the process with
 * the run's code, or 130 when there is none yet.
 *
 * SIGHUP is the terminal closing under an interactive run (or `kill -HUP`): a stop like SIGTERM's,
 * the run left resumable. Node resets a signal its parent ignored to the default action when it
 * starts, so `nohup` never kept a Node program through a hangup (it died by the signal); here it
 * stops as on SIGTERM. A run that must outlive its terminal is started without one
 * (docs/operations.md#signals).
 */
import { EventEmitter } from "node:events";
import { EXIT } from "./io.js";

/** The signals that stop a run: the first gracefully, a second SIGINT or SIGTERM at once (supervise.ts). */
export const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface SignalRelay {
  /** What main() listens on for SIGINT, SIGTERM and SIGHUP. */
  readonly signals: NodeJS.EventEmitter;
  /** The run's exit code, for a signal that comes while the process winds down. */
  settle(code: number): void;
}

export function relaySignals(
  process: { on(signal: (typeof SIGNALS)[number], listener: () => void): unknown },
  exit: (code: number) => void,
): SignalRelay {
  const signals = new EventEmitter();
  let code: number = EXIT.interrupted;
  for (const name of SIGNALS) {
    process.on(name, () => {
      if (signals.listenerCount(name) > 0) signals.emit(name);
      else exit(code);
    });
  }
  return {
    signals,
    settle: (settled) => {
      code = settled;
    },
  };
}
