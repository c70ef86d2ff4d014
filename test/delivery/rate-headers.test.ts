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

  it("reads both spellings of the guide, in any case", () => {
    const table = parseRateHeaders({
      "X-Rate-Limit-Limit": "1m",
      "X-Rate-Limit-Remaining": "7",
      "X-Rate-Limit-Reset": "1719397769",
    });
    // The guide's curl examples: no hyphen, a daily period, the reset in milliseconds.
    const curl = parseRateHeaders({
      "x-ratelimit-limit": "1d",
      "x-ratelimit-remaining": "99999",
      "x-ratelimit-reset": "1682640000000",
    });
    const shouting = parseRateHeaders({
      "X-RATELIMIT-LIMIT": "1H",
      "X-RATELIMIT-REMAINING": "3",
      "X-RATELIMIT-RESET": "1682640000",
    });
    expect(table).toEqual({ periodMs: 60_000, remaining: 7, resetAtMs: 1_719_397_769_000 });
    expect(curl).toEqual({ periodMs: 86_400_000, remaining: 99_999, resetAtMs: 1_682_640_000_000 });
    expect(shouting).toEqual({ periodMs: 3_600_000, remaining: 3, resetAtMs: 1_682_640_000_000 });
    // Unrelated headers that merely look alike are not read.
    expect(parseRateHeaders({ "x-rate-limit-limits": "1m", "x-ratelimitremaining": "4" })).toEqual(
      {},
    );
  });

  it("reads every period the guide lists, in upper or lower case (M is a month, m a minute)", () => {
    const periods: [string, number][] = [
      ["1s", 1_000],
      ["1S", 1_000],
      ["1m", 60_000],
      ["1H", 3_600_000],
      ["1h", 3_600_000],
      ["1d", 86_400_000],
      ["1D", 86_400_000],
      ["1M", 2_592_000_000],
      ["1y", 31_536_000_000],
      ["1Y", 31_536_000_000],
    ];
    for (const [text, ms] of periods) {
      expect(parseRateHeaders({ "x-ratelimit-limit": text }).periodMs).toBe(ms);
      expect(parseRateHeaders({ "X-Rate-Limit-Limit": text }).periodMs).toBe(ms);
    }
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
