import { describe, expect, it } from "vitest";
import { RateWindow } from "../../src/emulator/rate-window.js";

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 4, 14, 6, 5, 0); // a whole minute

describe("RateWindow", () => {
  it("allows exactly `count` requests per token in one window", () => {
    const window = new RateWindow({ count: 3, windowMs: MINUTE });
    const allowed = [0, 1, 2, 3, 4].map((i) => window.take("a", T0 + i).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
  });

  it("counts down remaining and keeps it at 0 over the limit", () => {
    const window = new RateWindow({ count: 2, windowMs: MINUTE });
    const remaining = [0, 1, 2, 3].map(() => window.take("a", T0).remaining);
    expect(remaining).toEqual([1, 0, 0, 0]);
  });

  it("aligns windows to the wall clock and resets at the end of the current window", () => {
    const window = new RateWindow({ count: 1, windowMs: MINUTE });
    expect(window.take("a", T0 + 59_999)).toEqual({
      allowed: true,
      limit: 1,
      remaining: 0,
      resetEpochMs: T0 + MINUTE,
      windowMs: MINUTE,
    });
    expect(window.take("a", T0 + 59_999).allowed).toBe(false);
    const next = window.take("a", T0 + MINUTE);
    expect(next.allowed).toBe(true);
    expect(next.resetEpochMs).toBe(T0 + 2 * MINUTE);
  });

  it("counts each token on its own", () => {
    const window = new RateWindow({ count: 1, windowMs: 1_000 });
    expect(window.take("a", T0).allowed).toBe(true);
    expect(window.take("b", T0).allowed).toBe(true);
    expect(window.take("a", T0).allowed).toBe(false);
  });

  it("peeks without counting", () => {
    const window = new RateWindow({ count: 2, windowMs: 1_000 });
    window.take("a", T0);
    expect(window.peek("a", T0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(window.peek("never-seen", T0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(window.take("a", T0).remaining).toBe(0);
  });

  it("forgets the tokens of past windows", () => {
    const window = new RateWindow({ count: 10, windowMs: 1_000 });
    for (let i = 0; i < 100; i++) window.take(`token-${i}`, T0);
    expect(window.trackedTokens).toBe(100);
    window.take("late", T0 + 1_000);
    expect(window.trackedTokens).toBe(1);
  });
});
