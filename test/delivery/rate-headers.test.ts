import { describe, expect, it } from "vitest";
import { parsePeriod, parseRateHeaders, parseRetryAfter } from "../../src/delivery/rate-headers.js";

describe("parseRateHeaders", () => {
  it("reads a reset in seconds and one in milliseconds as the same instant", () => {
    const s = parseRateHeaders({
      "x-rate-limit-reset": "1719397769",
      "x-rate-limit-remaining": "5",
    });
    const ms = parseRateHeaders({ "x-rate-limit-reset": "1719397769000" });
    expect(s.resetAtMs).toBe(1_719_397_769_000);
    expect(ms.resetAtMs).toBe(1_719_397_769_000);
    expect(s.remaining).toBe(5);
  });

  it("reads the period of X-Rate-Limit-Limit, where 1M is a month and 1m a minute", () => {
    expect(parsePeriod("1m")).toBe(60_000);
    expect(parsePeriod("1M")).toBe(2_592_000_000);
    expect(parsePeriod("1s")).toBe(1_000);
    expect(parsePeriod("1H")).toBe(3_600_000);
    expect(parsePeriod("1d")).toBe(86_400_000);
    expect(parsePeriod("soon")).toBeUndefined();
    expect(parseRateHeaders({ "x-rate-limit-limit": "1m" }).periodMs).toBe(60_000);
  });

  it("leaves out malformed values instead of guessing", () => {
    expect(
      parseRateHeaders({ "x-rate-limit-remaining": "lots", "x-rate-limit-reset": "-4" }),
    ).toEqual({});
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2", 0)).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("later", now)).toBeUndefined();
  });
});
