import { Agent, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, type EmulatorInit, startEmulator } from "../../src/emulator/index.js";
import { post, sleep } from "./helpers.js";

const T0 = Date.UTC(2024, 4, 14, 6, 5, 0); // a whole minute
const running: Emulator[] = [];

async function start(init: EmulatorInit): Promise<Emulator> {
  const emulator = await startEmulator(init);
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** An emulator on a clock the test moves. */
async function onClock(init: EmulatorInit) {
  let now = T0;
  const emulator = await start({ now: () => now, ...init });
  const setNow = (t: number): void => {
    now = t;
  };
  return { emulator, setNow };
}

describe("listening", () => {
  it("listens on 127.0.0.1 on a free port and reports its url", async () => {
    const emulator = await start({});
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
  });

  it("answers 404 for an unknown path and 405 for a method other than POST", async () => {
    const { url } = await start({});
    const notFound = await post(url, { path: "/api/v1/orders" });
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual({ status: false, message: "Not Found" });
    const wrongMethod = await post(url, { method: "GET" });
    expect(wrongMethod.status).toBe(405);
  });

  it("close() also closes idle keep-alive connections", async () => {
    const emulator = await start({});
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const response = await request(`${emulator.url}/api/v1/user-profile`, {
      method: "POST",
      dispatcher: agent,
    });
    await response.body.text();
    const started = Date.now();
    await emulator.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await agent.close();
  });
});

describe("rate-limit headers", () => {
  it("puts X-Rate-Limit-* and Content-Type on every answer", async () => {
    const { emulator } = await onClock({ limit: { count: 10, windowMs: 60_000 } });
    const replies = [
      await post(emulator.url), // 200 + 20000
      await post(emulator.url, { body: "x" }), // 400
      await post(emulator.url, { token: "wrong" }), // 200 + 40201
      await post(emulator.url, { path: "/nope" }), // 404
      await post(emulator.url, { method: "PUT" }), // 405
    ];
    for (const reply of replies) {
      expect(reply.headers["content-type"]).toBe("application/json");
      expect(reply.headers["x-rate-limit-limit"]).toBe("1m");
      expect(reply.headers["x-rate-limit-reset"]).toBe(String((T0 + 60_000) / 1000));
      expect(Number(reply.headers["x-rate-limit-remaining"])).toBeGreaterThanOrEqual(0);
    }
  });

  it("gives the reset in Unix seconds by default", async () => {
    const { emulator, setNow } = await onClock({ limit: { count: 10, windowMs: 1_000 } });
    setNow(T0 + 1_250);
    const reply = await post(emulator.url);
    expect(reply.headers["x-rate-limit-limit"]).toBe("1s");
    expect(reply.headers["x-rate-limit-reset"]).toBe(String((T0 + 2_000) / 1000));
  });

  it("gives the reset in milliseconds with resetUnit ms", async () => {
    const { emulator, setNow } = await onClock({
      limit: { count: 10, windowMs: 3_600_000 },
      resetUnit: "ms",
    });
    setNow(T0 + 1_250);
    const reply = await post(emulator.url);
    const reset = Number(reply.headers["x-rate-limit-reset"]);
    expect(reset).toBeGreaterThan(1e12);
    expect(reset).toBe(Math.ceil((T0 + 1) / 3_600_000) * 3_600_000);
    expect(reply.headers["x-rate-limit-limit"]).toBe("1H");
  });

  it("spells the headers as the guide's curl examples do with headerStyle nohyphen", async () => {
    const { emulator, setNow } = await onClock({
      limit: { count: 99_999, windowMs: 86_400_000 },
      headerStyle: "nohyphen",
      resetUnit: "ms",
    });
    setNow(T0 + 1_250);
    const reply = await post(emulator.url);
    expect(reply.headers["x-ratelimit-limit"]).toBe("1d");
    expect(reply.headers["x-ratelimit-remaining"]).toBe("99998");
    expect(reply.headers["x-ratelimit-reset"]).toBe(
      String(Math.ceil(T0 / 86_400_000) * 86_400_000),
    );
    expect(reply.headers["x-rate-limit-limit"]).toBeUndefined();
  });

  it("sends no rate-limit header with headerStyle none, and still limits", async () => {
    const { emulator } = await onClock({
      limit: { count: 1, windowMs: 60_000 },
      headerStyle: "none",
    });
    expect((await post(emulator.url)).body.code).toBe("20000");
    const refused = await post(emulator.url);
    expect(refused.status).toBe(429);
    expect(Object.keys(refused.headers).filter((h) => h.includes("rate"))).toEqual([]);
  });

  it("leaves the headers out when limiting is off", async () => {
    const { url } = await start({ limit: null });
    const reply = await post(url);
    expect(reply.headers["x-rate-limit-limit"]).toBeUndefined();
    expect(reply.body.code).toBe("20000");
  });
});

describe("over the limit", () => {
  it("refuses exactly one of limit+1 requests in one window, then accepts in the next", async () => {
    const { emulator, setNow } = await onClock({ limit: { count: 20, windowMs: 60_000 } });
    setNow(T0 + 59_000);
    const burst = await Promise.all(Array.from({ length: 21 }, () => post(emulator.url)));
    expect(burst.filter((r) => r.status === 429)).toHaveLength(1);
    expect(burst.filter((r) => r.body.code === "20000")).toHaveLength(20);
    setNow(T0 + 60_000);
    const next = await post(emulator.url);
    expect(next.body.code).toBe("20000");
    expect(next.headers["x-rate-limit-remaining"]).toBe("19");
  });

  it("answers HTTP 429 with code 40401 by default", async () => {
    const { emulator } = await onClock({ limit: { count: 1, windowMs: 60_000 } });
    await post(emulator.url);
    const reply = await post(emulator.url);
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ status: false, code: "40401", message: "Too Many Requests" });
    expect(reply.headers["x-rate-limit-remaining"]).toBe("0");
    expect(emulator.store.stats().byCode).toEqual({ "20000": 1, HTTP_429: 1 });
  });

  it("answers HTTP 200 with code 40401 TOO_MANY_REQUEST with overLimit code40401", async () => {
    const { emulator } = await onClock({
      limit: { count: 1, windowMs: 60_000 },
      overLimit: "code40401",
    });
    await post(emulator.url);
    const reply = await post(emulator.url);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: false, code: "40401", message: "TOO_MANY_REQUEST" });
    expect(emulator.store.stats().byCode).toEqual({ "20000": 1, "40401": 1 });
  });

  it("counts requests with the valid token even when their body is refused", async () => {
    const { emulator } = await onClock({ limit: { count: 2, windowMs: 60_000 } });
    await post(emulator.url, { body: "not json" });
    await post(emulator.url, { body: { identity: {} } });
    expect((await post(emulator.url)).status).toBe(429);
  });

  it("does not count requests without the valid token", async () => {
    const { emulator } = await onClock({ limit: { count: 1, windowMs: 60_000 } });
    const refused = await post(emulator.url, { token: "wrong" });
    expect(refused.body.code).toBe("40201");
    expect(refused.headers["x-rate-limit-remaining"]).toBe("1");
    expect((await post(emulator.url)).body.code).toBe("20000");
  });

  it("refuses one of limit+1 requests sent right after a real 1 s boundary", async () => {
    const { url } = await start({ limit: { count: 10, windowMs: 1_000 } });
    const untilBoundary = 1_000 - (Date.now() % 1_000);
    await sleep(untilBoundary + 20);
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 11 }, () => post(url)));
    const sameSecond = Math.floor(started / 1_000) === Math.floor(Date.now() / 1_000);
    const refused = burst.filter((r) => r.status === 429).length;
    // The burst takes milliseconds; only a machine stalled for most of a second could split it.
    expect(sameSecond ? refused : 1).toBe(1);
    await sleep(1_000 - (Date.now() % 1_000) + 20);
    expect((await post(url)).body.code).toBe("20000");
  });
});
