import { afterEach, describe, expect, it } from "vitest";
import { drawDelay, drawFault } from "../../src/emulator/faults.js";
import { type Emulator, type EmulatorInit, startEmulator } from "../../src/emulator/index.js";
import { waitFor } from "../cli/helpers.js";
import { post, scripted, seeded } from "./helpers.js";

const running: Emulator[] = [];
async function start(init: EmulatorInit): Promise<Emulator> {
  const emulator = await startEmulator({ limit: null, ...init });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

describe("drawFault", () => {
  const rates = { resetRate: 0.1, failRate: 0.2, failAs: "both" } as const;

  it("splits one draw into reset, HTTP 500, code 50000 and no fault bands", () => {
    const faults = [0, 0.099, 0.1, 0.199, 0.2, 0.299, 0.31, 0.99].map((r) =>
      drawFault(rates, () => r),
    );
    expect(faults).toEqual([
      "reset",
      "reset",
      "http500",
      "http500",
      "code50000",
      "code50000",
      undefined,
      undefined,
    ]);
  });

  it("uses one form only when failAs names it", () => {
    expect(drawFault({ ...rates, failAs: "code50000" }, () => 0.15)).toBe("code50000");
    expect(drawFault({ ...rates, failAs: "http500" }, () => 0.25)).toBe("http500");
  });

  it("draws nothing when both rates are 0", () => {
    const random = () => {
      throw new Error("drawn");
    };
    expect(drawFault({ resetRate: 0, failRate: 0, failAs: "both" }, random)).toBeUndefined();
    expect(drawDelay({ latencyMs: 5, jitterMs: 0 }, random)).toBe(5);
  });

  it("adds a uniform jitter to the latency", () => {
    expect(drawDelay({ latencyMs: 100, jitterMs: 50 }, () => 0.5)).toBe(125);
  });
});

describe("server errors", () => {
  it("answers HTTP 500 or HTTP 200 + 50000 as the random source picks, and applies neither", async () => {
    // fail band [0, 0.5): lower half → HTTP 500, upper half → 50000; then no fault.
    const emulator = await start({ failRate: 0.5, random: scripted(0.1, 0.3, 0.9) });
    const http500 = await post(emulator.url);
    expect(http500.status).toBe(500);
    expect(http500.body).toEqual({ status: false, code: "50000", message: "Server Error" });
    const code50000 = await post(emulator.url);
    expect(code50000.status).toBe(200);
    expect(code50000.body).toEqual({
      status: false,
      code: "50000",
      message: "INTERNAL_SERVER_ERROR",
    });
    expect((await post(emulator.url)).body.code).toBe("20000");
    expect(emulator.store.count()).toBe(1);
    expect(emulator.store.stats().byCode).toEqual({ HTTP_500: 1, "50000": 1, "20000": 1 });
  });

  it("fails about 10% of 2000 requests at fail rate 0.1", async () => {
    const emulator = await start({ failRate: 0.1, random: seeded(7) });
    const replies = [];
    for (let batch = 0; batch < 40; batch++) {
      replies.push(...(await Promise.all(Array.from({ length: 50 }, () => post(emulator.url)))));
    }
    const failed = replies.filter((r) => r.body.code === "50000").length;
    expect(failed).toBeGreaterThanOrEqual(140);
    expect(failed).toBeLessThanOrEqual(260);
    const http500 = replies.filter((r) => r.status === 500).length;
    expect(http500).toBeGreaterThan(failed * 0.3);
    expect(http500).toBeLessThan(failed * 0.7);
  });
});

describe("connection resets", () => {
  it("destroys the connection without an answer and applies nothing", async () => {
    const emulator = await start({ resetRate: 1 });
    await expect(post(emulator.url)).rejects.toThrow();
    expect(emulator.store.count()).toBe(0);
    expect(emulator.store.stats()).toEqual({ requests: 1, accepted: 0, byCode: { RESET: 1 } });
  });

  it("resets only the drawn share of requests", async () => {
    const emulator = await start({ resetRate: 0.5, random: scripted(0.7, 0.2, 0.7) });
    expect((await post(emulator.url)).body.code).toBe("20000");
    await expect(post(emulator.url)).rejects.toThrow();
    expect((await post(emulator.url)).body.code).toBe("20000");
  });
});

describe("latency", () => {
  it("delays every answer by latencyMs", async () => {
    const emulator = await start({ latencyMs: 200 });
    const started = performance.now();
    const reply = await post(emulator.url, { token: "wrong" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(reply.body.code).toBe("40201");
  });

  it("adds the drawn jitter to the latency", async () => {
    const emulator = await start({ latencyMs: 50, jitterMs: 200, random: () => 0.75 });
    const started = performance.now();
    await post(emulator.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("close() does not wait for delayed answers", async () => {
    // An answer due in 10 minutes, far beyond the test's timeout: a close() that waited would hang.
    // The jitter's draw tells when the request is in, its delay being timed.
    let drawn = false;
    const random = () => {
      drawn = true;
      return 0;
    };
    const emulator = await start({ latencyMs: 600_000, jitterMs: 1, random });
    const pending = post(emulator.url).catch((error: unknown) => error);
    await waitFor(() => drawn, "the request's delay drawn");
    await emulator.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
