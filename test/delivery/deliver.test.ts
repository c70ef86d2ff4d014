import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/delivery/client.js";
import { type DeliveryOutcome, deliver } from "../../src/delivery/deliver.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { DEFAULT_RETRY_POLICY } from "../../src/delivery/retry-policy.js";
import { type Emulator, type EmulatorInit, startEmulator } from "../../src/emulator/index.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

interface Setup {
  emulator: Emulator;
  run: (count: number) => Promise<DeliveryOutcome[]>;
  stats: { retries: number; rateLimited: number };
  fatal: string[];
  pacer: Pacer;
  stop: AbortController;
}

async function setup(
  init: EmulatorInit,
  rate: { count: number; windowMs: number },
  concurrency = 8,
  token = "test-token",
): Promise<Setup> {
  const emulator = await startEmulator(init);
  const client = new ApiClient({
    endpoint: emulator.url,
    serviceId: "test-service",
    accessToken: token,
    connections: concurrency,
  });
  const pacer = new Pacer({ rate, concurrency });
  cleanup.push(
    () => emulator.close(),
    () => client.close(),
    () => pacer.close(),
  );
  const stats = { retries: 0, rateLimited: 0 };
  const fatal: string[] = [];
  const stop = new AbortController();
  const deps = {
    sender: client,
    pacer,
    policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 10, maxDelayMs: 50 },
    stop: stop.signal,
    onFatal: (code: string) => {
      fatal.push(code);
      stop.abort();
    },
    stats,
  };
  const run = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        deliver({ identity: { external_id: `u${i}` }, user_properties: { n: i } }, deps),
      ),
    );
  return { emulator, run, stats, fatal, pacer, stop };
}

const kinds = (outcomes: DeliveryOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    acc[o.kind] = (acc[o.kind] ?? 0) + 1;
    return acc;
  }, {});

describe("deliver", () => {
  it("delivers every row through 5% server errors and 1% connection resets", async () => {
    const { emulator, run, stats } = await setup(
      { limit: null, failRate: 0.05, resetRate: 0.01 },
      { count: 10_000, windowMs: 1_000 },
    );
    const outcomes = await run(600);
    expect(kinds(outcomes)).toEqual({ accepted: 600 });
    expect(emulator.store.count()).toBe(600);
    expect(stats.retries).toBeGreaterThan(0);
  });

  it("dead-letters a validation failure at once with the API's code and message", async () => {
    const { run } = await setup(
      { limit: null, catalog: { other: "Long" } },
      { count: 1000, windowMs: 1000 },
    );
    const [outcome] = await run(1);
    expect(outcome).toMatchObject({
      kind: "failed",
      attempts: 1,
      failure: { stage: "api", code: "40001" },
    });
  });

  it("gives up after max attempts on a server that always fails", async () => {
    const { run, emulator } = await setup(
      { limit: null, failRate: 1 },
      { count: 1000, windowMs: 1000 },
    );
    const [outcome] = await run(1);
    expect(outcome).toMatchObject({ kind: "failed", attempts: DEFAULT_RETRY_POLICY.maxAttempts });
    expect(emulator.store.stats().requests).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it("stops on a wrong token after at most the requests in flight", async () => {
    const concurrency = 4;
    const { run, emulator, fatal } = await setup(
      { limit: null, latencyMs: 20 },
      { count: 1000, windowMs: 1000 },
      concurrency,
      "wrong-token",
    );
    const outcomes = await run(100);
    expect(fatal[0]).toBe("40201");
    expect(kinds(outcomes)).toEqual({ "not-attempted": 100 });
    expect(emulator.store.stats().requests).toBeLessThanOrEqual(concurrency);
  });

  it("paced at the server's own limit, gets no over-limit answer whatever the window phase", async () => {
    const { run, emulator, stats } = await setup(
      { limit: { count: 50, windowMs: 1_000 }, latencyMs: 2, jitterMs: 10 },
      { count: 50, windowMs: 1_000 },
    );
    const started = Date.now();
    const outcomes = await run(120);
    expect(kinds(outcomes)).toEqual({ accepted: 120 });
    expect(stats.rateLimited).toBe(0);
    expect(emulator.store.stats().requests).toBe(120);
    // 120 requests at 50/s (less 2% headroom) cannot finish in under ~2.3 s.
    expect(Date.now() - started).toBeGreaterThan(2_300);
  });

  for (const overLimit of ["http429", "code40401"] as const) {
    for (const resetUnit of ["s", "ms"] as const) {
      it(`waits for the window after ${overLimit} (reset in ${resetUnit}) and loses no row`, async () => {
        const { run, emulator, stats } = await setup(
          { limit: { count: 40, windowMs: 1_000 }, overLimit, resetUnit },
          { count: 400, windowMs: 1_000 }, // told ten times the real limit
          8,
        );
        const outcomes = await run(100);
        expect(kinds(outcomes)).toEqual({ accepted: 100 });
        expect(emulator.store.count()).toBe(100);
        const refused = emulator.store.stats().requests - 100;
        expect(refused).toBe(stats.rateLimited);
        // The headers gate the limiter: few requests are spent on refusals.
        expect(refused).toBeLessThanOrEqual(20);
      });
    }
  }
});
