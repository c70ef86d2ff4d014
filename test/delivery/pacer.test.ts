import { describe, expect, it } from "vitest";
import { Pacer, PRIORITY_NEW, PRIORITY_RETRY, type RateWait } from "../../src/delivery/pacer.js";
import { FakeClock, flush } from "./fake-clock.js";

function setup(count: number, windowMs: number, concurrency = 100, headroom = 0) {
  const clock = new FakeClock();
  const pacer = new Pacer({ rate: { count, windowMs }, concurrency, headroom, clock });
  const starts: number[] = [];
  const finishers: (() => void)[] = [];
  /** Schedules a job that records its start and stays in flight until finished by the test. */
  const job = (priority = PRIORITY_NEW, label?: string[]) =>
    pacer.run(
      () =>
        new Promise<void>((resolve) => {
          starts.push(clock.now());
          label?.push("x");
          finishers.push(resolve);
        }),
      priority,
    );
  const instant = (priority = PRIORITY_NEW) =>
    pacer.run(async () => {
      starts.push(clock.now());
    }, priority);
  return { clock, pacer, starts, finishers, job, instant };
}

describe("Pacer", () => {
  it("spaces starts evenly at the rate", async () => {
    const { clock, starts, instant } = setup(100, 1_000);
    for (let i = 0; i < 10; i++) void instant();
    await clock.advance(1_000);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    expect(starts).toHaveLength(10);
    // The first gap is shortened by the catch-up allowance (4 ms); then exactly the rate.
    expect(gaps[0]).toBe(6);
    expect(gaps.slice(1).every((g) => g === 10)).toBe(true);
    // Never more than the rate in any 100 ms.
    for (const t of starts)
      expect(starts.filter((u) => u >= t && u < t + 100).length).toBeLessThanOrEqual(10);
  });

  it("keeps 2% in reserve by default", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ rate: { count: 100, windowMs: 1_000 }, concurrency: 10, clock });
    const starts: number[] = [];
    for (let i = 0; i < 3; i++)
      void pacer.run(async () => void starts.push(clock.now()), PRIORITY_NEW);
    await clock.advance(100);
    expect((starts[2] as number) - (starts[1] as number)).toBeCloseTo(10.2, 5);
  });

  it("never has more than `concurrency` in flight", async () => {
    const { clock, pacer, starts, finishers, job } = setup(1_000_000, 1_000, 3);
    for (let i = 0; i < 10; i++) void job();
    await clock.advance(10);
    expect(starts).toHaveLength(3);
    expect(pacer.inFlight).toBe(3);
    finishers[0]?.();
    await clock.advance(10);
    expect(starts).toHaveLength(4);
  });

  it("starts every due job in one pass when the rate is high (no timer per job)", async () => {
    const { clock, starts, instant } = setup(1_000_000_000, 1_000);
    for (let i = 0; i < 500; i++) void instant();
    await flush();
    await clock.advance(0);
    expect(starts).toHaveLength(500);
  });

  it("lets retries go ahead of new rows", async () => {
    const { clock, pacer } = setup(10, 1_000);
    const order: string[] = [];
    for (const name of ["new1", "new2", "new3"])
      void pacer.run(async () => void order.push(name), PRIORITY_NEW);
    void pacer.run(async () => void order.push("retry"), PRIORITY_RETRY);
    await clock.advance(1_000);
    expect(order).toEqual(["new1", "retry", "new2", "new3"]);
  });

  it("pauses everything until the reset after a rate-limited answer", async () => {
    const { clock, pacer, starts, instant } = setup(1_000, 1_000);
    const resetAtMs = clock.now() + 500;
    pacer.observe({ resetAtMs, remaining: 0, periodMs: 1_000 }, true);
    for (let i = 0; i < 3; i++) void instant();
    await clock.advance(400);
    expect(starts).toEqual([]);
    expect(pacer.paused).toBe(true);
    await clock.advance(200);
    expect(starts[0]).toBe(resetAtMs + 20); // margin: 2% of a 1 s window
    expect(pacer.waitedMs).toBe(520);
  });

  it("without a reset time, pauses for the server's Retry-After", async () => {
    const { clock, pacer, starts, instant } = setup(1_000, 1_000);
    const t0 = clock.now();
    pacer.observe({}, true, 3_000);
    void instant();
    await clock.advance(3_200);
    expect(starts[0]).toBe(t0 + 3_100);
  });

  it("meters out what a short window has left, and sends again once it resets", async () => {
    const { clock, pacer, starts, instant } = setup(1_000, 1_000); // 1 ms apart
    const resetAtMs = clock.now() + 300;
    pacer.observe({ resetAtMs, remaining: 5, periodMs: 1_000 }, false); // another client used the rest
    for (let i = 0; i < 20; i++) void instant();
    await clock.advance(290);
    expect(starts).toHaveLength(5);
    await clock.advance(100);
    expect(starts).toHaveLength(20);
    expect(starts[5]).toBeGreaterThanOrEqual(resetAtMs);
  });

  it("lifts the metering at the reset even if no answer ever comes back", async () => {
    const { clock, pacer, starts, finishers, job } = setup(1_000, 1_000);
    const resetAtMs = clock.now() + 200;
    pacer.observe({ resetAtMs, remaining: 1, periodMs: 1_000 }, false);
    void job();
    void job();
    await clock.advance(50);
    expect(starts).toHaveLength(1);
    finishers[0]?.(); // e.g. a network error: no headers to learn from
    await clock.advance(300);
    expect(starts).toHaveLength(2);
  });

  it("does not meter when the window has room for every send due before its reset", async () => {
    const { clock, pacer, starts, instant } = setup(100, 1_000);
    pacer.observe({ resetAtMs: clock.now() + 500, remaining: 60, periodMs: 1_000 }, false);
    for (let i = 0; i < 50; i++) void instant();
    await clock.advance(500);
    expect(starts).toHaveLength(50);
  });

  it("ignores answers from a window that has already reset", async () => {
    const { clock, pacer, starts, instant } = setup(1_000, 1_000);
    pacer.observe({ resetAtMs: clock.now() - 1, remaining: 0, periodMs: 1_000 }, false);
    void instant();
    await clock.advance(5);
    expect(starts).toHaveLength(1);
  });

  it("waits for a reset more than 24.8 days away without firing early", async () => {
    const { clock, pacer, starts, instant } = setup(1_000, 1_000);
    const day = 86_400_000;
    pacer.observe({ resetAtMs: clock.now() + 30 * day, remaining: 0 }, true);
    void instant();
    await clock.advance(29 * day);
    expect(starts).toHaveLength(0);
    await clock.advance(2 * day);
    expect(starts).toHaveLength(1);
  });

  it("on stop, starts every queued task at once so a stopping run does not wait out the queue", async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const pacer = new Pacer({
      rate: { count: 2, windowMs: 60_000 },
      concurrency: 1,
      clock,
      stop: stop.signal,
    });
    pacer.observe({ resetAtMs: clock.now() + 50_000, remaining: 0 }, true); // paused too
    const ran: boolean[] = [];
    const all = Promise.all(
      Array.from({ length: 5 }, () =>
        pacer.run(async () => void ran.push(stop.signal.aborted), PRIORITY_NEW),
      ),
    );
    await clock.advance(10);
    expect(ran).toEqual([]);
    stop.abort();
    await all;
    expect(ran).toEqual([true, true, true, true, true]);
  });
});

describe("Pacer waits", () => {
  function waiting(maxWaitMs: number) {
    const clock = new FakeClock();
    const stop = new AbortController();
    const waits: RateWait[] = [];
    const pacer = new Pacer({
      rate: { count: 100, windowMs: 1_000 },
      concurrency: 4,
      clock,
      stop: stop.signal,
      maxWaitMs,
      onWait: (wait) => {
        waits.push(wait);
        if (wait.tooLong) stop.abort();
      },
    });
    return { clock, stop, waits, pacer };
  }

  it("tells every pause with its end and reason, and counts the longest", async () => {
    const { clock, waits, pacer } = waiting(60_000);
    const t0 = clock.now();
    pacer.observe({ resetAtMs: t0 + 8_000, remaining: 0 }, true);
    expect(waits).toEqual([
      { sinceMs: t0, untilMs: t0 + 8_100, reason: "rate-limited", tooLong: false },
    ]);
    await clock.advance(9_000);
    pacer.observe({ resetAtMs: clock.now() + 2_000, remaining: 0, periodMs: 60_000 }, false);
    expect(waits[1]).toMatchObject({ untilMs: clock.now() + 2_100, reason: "quota-spent" });
    await clock.advance(3_000);
    expect(pacer.waitedMs).toBe(8_100 + 2_100);
    expect(pacer.longestWaitMs).toBe(8_100);
  });

  it("does not start a pause beyond maxWaitMs: it says so, and the caller stops", async () => {
    const { clock, stop, waits, pacer } = waiting(2_000);
    const hour = clock.now() + 3_600_000;
    pacer.observe({ resetAtMs: hour, remaining: 0, periodMs: 3_600_000 }, false);
    expect(waits).toEqual([
      { sinceMs: clock.now(), untilMs: hour + 100, reason: "quota-spent", tooLong: true },
    ]);
    expect(stop.signal.aborted).toBe(true);
    expect(pacer.paused).toBe(false);
  });

  it("bounds an endless run of rate-limited answers without a reset by the time since the first", async () => {
    const { clock, waits, pacer } = waiting(10_000);
    // No reset header, no Retry-After: 1 s pauses, each of which alone is short.
    for (let i = 0; i < 20 && !waits.some((w) => w.tooLong); i++) {
      pacer.observe({}, true);
      await clock.advance(1_200);
    }
    const last = waits.at(-1) as RateWait;
    expect(last.tooLong).toBe(true);
    expect(last.untilMs - last.sinceMs).toBeGreaterThan(10_000);
    expect(waits.length).toBeLessThanOrEqual(10);
  });

  it("counts a window's metered-out quota running dry as a pause, bounded like the others", async () => {
    const { clock, waits, pacer } = waiting(1_000);
    const starts: number[] = [];
    const reset = clock.now() + 30_000; // a long window with 2 requests left
    pacer.observe({ resetAtMs: reset, remaining: 2, periodMs: 60_000 }, false);
    for (let i = 0; i < 3; i++) void pacer.run(async () => void starts.push(clock.now()), 5);
    await clock.advance(100);
    expect(starts).toHaveLength(3); // two metered, the third released by the stop
    expect(waits).toEqual([
      { sinceMs: expect.any(Number), untilMs: reset + 100, reason: "quota-spent", tooLong: true },
    ]);
  });
});
