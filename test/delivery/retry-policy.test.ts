import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, decideRetry } from "../../src/delivery/retry-policy.js";

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("decideRetry", () => {
  it("backs off exponentially with full jitter, capped", () => {
    const top = () => 0.999999;
    expect(decideRetry(1, policy, top)).toEqual({ retry: true, delayMs: 99 });
    expect(decideRetry(2, policy, top)).toEqual({ retry: true, delayMs: 199 });
    expect(decideRetry(3, policy, top)).toEqual({ retry: true, delayMs: 399 });
    expect(decideRetry(1, policy, () => 0)).toEqual({ retry: true, delayMs: 0 });
    const wide = { ...policy, maxAttempts: 20 };
    expect(decideRetry(15, wide, top)).toEqual({ retry: true, delayMs: 999 });
  });

  it("gives up once the row has used its attempts", () => {
    expect(decideRetry(4, policy, Math.random)).toEqual({ retry: false });
  });

  it("lets the server's Retry-After win over its own backoff, within a cap", () => {
    expect(decideRetry(1, policy, () => 0.5, 7_000)).toEqual({ retry: true, delayMs: 7_000 });
    expect(decideRetry(1, policy, () => 0.5, 10_000_000)).toEqual({
      retry: true,
      delayMs: policy.maxRetryAfterMs,
    });
  });
});
