/**
 * --canary N, shared by both runs: once the first N rows (import-profiles) or events
 * (import-events) have been sent, wait for them to end; if none was accepted (or unchanged), stop
 * before reading further (exit 3, resumable), naming the most frequent refusal.
 */
import type { Counted, FailureWatch } from "./failure-watch.js";
import type { RunLedger } from "./ledger.js";

/** Whether the run goes on after its canary: `drain` waits for everything sent so far to end. */
export async function canaryLived(
  canary: number,
  counted: Counted,
  drain: () => Promise<void>,
  ledger: RunLedger,
  watch: FailureWatch,
): Promise<boolean> {
  await drain();
  const { lived } = ledger;
  if (lived > 0 || ledger.stop.aborted) return lived > 0;
  const common = watch.commonRefusal();
  ledger.halt(
    "canary",
    `canary: none of the first ${canary} ${counted} was accepted` +
      (common === "" ? "" : ` (most refused: ${common})`) +
      "; stopped before reading further",
  );
  return false;
}
