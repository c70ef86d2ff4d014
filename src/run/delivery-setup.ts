/**
 * The delivery of one run, of every kind: one pacer, one HTTP client
 * (or an injected sender), the retry policy, and the run's answer to a long pause for the rate
 * limit: told once when longer than NOTICE_AFTER_MS, the run stopped (exit 3, with until when)
 * when beyond --max-wait.
 */
import { ApiClient } from "../delivery/client.js";
import type { DeliveryDeps, Sender } from "../delivery/deliver.js";
import { Pacer, type RateWait } from "../delivery/pacer.js";
import { DEFAULT_RETRY_POLICY } from "../delivery/retry-policy.js";
import { instantText, NOTICE_AFTER_MS, waitStopMessage } from "../delivery/wait-notice.js";
import type { DeliveryConfig } from "./config.js";
import type { RunLedger } from "./ledger.js";

export interface DeliverySetup {
  /** Replaces the HTTP client (benchmarks of the importer's own cost); undefined: the client. */
  readonly sender: Sender | undefined;
  /** The API path the client posts to: the kind's. */
  readonly path: string;
  /** Told when the run starts a pause for the rate limit longer than NOTICE_AFTER_MS. */
  readonly onWait: (wait: RateWait) => void;
}

/** What a delivering run sends through; `close()` once the run has drained. */
export interface RunDelivery {
  readonly deps: DeliveryDeps;
  readonly pacer: Pacer;
  close(): Promise<void>;
}

export function openDelivery(
  delivery: DeliveryConfig,
  ledger: RunLedger,
  setup: DeliverySetup,
): RunDelivery {
  const sender =
    setup.sender ??
    new ApiClient({ ...delivery, connections: delivery.concurrency, path: setup.path });
  const client = sender instanceof ApiClient ? sender : undefined;
  const { maxWaitMs } = delivery;
  const onWait = waitHandler(ledger, maxWaitMs, setup.onWait);
  const pacer = new Pacer({
    rate: delivery.rate,
    concurrency: delivery.concurrency,
    stop: ledger.stop,
    maxWaitMs,
    onWait,
  });
  ledger.waits = pacer;
  const deps: DeliveryDeps = {
    sender,
    pacer,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: delivery.maxAttempts },
    stop: ledger.stop,
    onFatal: (_code, message) => ledger.halt("fatal", message),
    now: ledger.now,
    stats: ledger.stats,
    health: { consecutiveFailures: 0 },
    maxWaitMs,
    onWait,
  };
  return {
    deps,
    pacer,
    close: async () => {
      await pacer.close();
      await client?.close();
    },
  };
}

/** A pause for the rate limit: told when long, the run stopped when beyond --max-wait. */
function waitHandler(
  ledger: RunLedger,
  maxWaitMs: number,
  tell: (wait: RateWait) => void,
): (wait: RateWait) => void {
  let noticedUntil = 0; // the end of the last wait told, so waits ending together are told once
  return (wait) => {
    if (wait.tooLong) {
      const { iso, local } = instantText(wait.untilMs);
      ledger.halt("rate-limit", waitStopMessage(wait, maxWaitMs), {
        until: iso,
        untilLocal: local,
      });
    } else if (wait.untilMs - ledger.now() > NOTICE_AFTER_MS && wait.untilMs > noticedUntil) {
      noticedUntil = wait.untilMs;
      tell(wait);
    }
  };
}
