/**
 * Retry policy as data plus one pure decision. Transient failures back off exponentially with
 * full jitter, within a per-row attempt budget; a server-given wait (Retry-After) wins over our own
 * backoff. Rate-limited answers are not the row's fault: they wait for the window and do not spend
 * the row's budget (the pacer pauses the whole run for them).
 */
export interface RetryPolicy {
  /** Attempts per row for transient failures, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A server-given wait longer than this is capped to it. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export type RetryDecision =
  | { readonly retry: false }
  | { readonly retry: true; readonly delayMs: number };

/**
 * After a transient failure on attempt `attempt` (1-based): retry, and after how long?
 * `random` returns [0, 1); full jitter spreads retries so they do not arrive together.
 */
export function decideRetry(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false };
  if (retryAfterMs !== undefined) {
    return { retry: true, delayMs: Math.min(retryAfterMs, policy.maxRetryAfterMs) };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, delayMs: Math.floor(random() * ceiling) };
}
