/**
 * The delivery of one run, shared by import-profiles and import-events: one pacer, one HTTP client
 * (or an injected sender), the retry policy, and the run's answer to a long pause for the rate
 * limit: told once when longer than NOTICE_AFTER_MS, the run stopped (exit 3, with until when)
 * when beyond --max-wait.
 */
import type { BreakerOptions } from "../delivery/breaker.js";
import { ProfileClient } from "../delivery/client.js";
import type { DeliveryDeps, Sender } from "../delivery/deliver.js";
import { Pacer, type RateWait } from "../delivery/pacer.js";
import type { Rate } from "../delivery/rate.js";
import { DEFAULT_RETRY_POLICY } from "../delivery/retry-policy.js";
import { instantText, NOTICE_AFTER_MS, waitStopMessage } from "../delivery/wait-notice.js";
import type { RunLedger } from "./ledger.js";

export interface DeliveryOptions {
  readonly endpoint: string;
  readonly serviceId: string;
  readonly accessToken: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** The longest wait for the rate limit; a longer one stops the run (exit 3, resumable). Default 10 min. */
  readonly maxWaitMs?: number;
  /** The circuit breaker on permanent failures; default DEFAULT_BREAKER. */
  readonly breaker?: BreakerOptions;
  /** Send the first N rows, and stop (exit 3) before reading further if none was accepted. 0: off. */
  readonly canary?: number;
}

export const DEFAULT_MAX_WAIT_MS = 600_000;

export interface DeliverySetup {
  /** Replaces the HTTP client (benchmarks of the importer's own cost). */
  readonly sender?: Sender;
  /** The API path the client posts to; the profile endpoint by default. */
  readonly path?: string;
  /** Told when the run starts a pause for the rate limit longer than NOTICE_AFTER_MS. */
  readonly onWait?: (wait: RateWait) => void;
}

/** What a delivering run sends through; `close()` once the run has drained. */
export interface RunDelivery {
  readonly deps: DeliveryDeps;
  readonly pacer: Pacer;
  close(): Promise<void>;
}

export function openDelivery(
  delivery: DeliveryOptions,
  ledger: RunLedger,
  setup: DeliverySetup = {},
): RunDelivery {
  const sender =
    setup.sender ??
    new ProfileClient({
      ...delivery,
      connections: delivery.concurrency,
      ...(setup.path === undefined ? {} : { path: setup.path }),
    });
  const client = sender instanceof ProfileClient ? sender : undefined;
  const maxWaitMs = delivery.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
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
  tell: ((wait: RateWait) => void) | undefined,
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
      tell?.(wait);
    }
  };
}
