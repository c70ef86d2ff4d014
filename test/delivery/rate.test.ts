import { describe, expect, it } from "vitest";
import { formatRate, parseRate } from "../../src/delivery/rate.js";
import { UsageError } from "../../src/errors.js";

describe("parseRate", () => {
  it("reads per second, minute and hour", () => {
    expect(parseRate("10000/m")).toEqual({ count: 10_000, windowMs: 60_000 });
    expect(parseRate("200/s")).toEqual({ count: 200, windowMs: 1_000 });
    expect(parseRate(" 500000 / h ")).toEqual({ count: 500_000, windowMs: 3_600_000 });
    expect(formatRate(parseRate("200/s"))).toBe("200/s");
  });

  it("rejects anything else with a message naming the flag", () => {
    for (const bad of ["0/m", "10000", "fast", "-5/s", "10/d"]) {
      expect(() => parseRate(bad)).toThrow(UsageError);
    }
    expect(() => parseRate("10000")).toThrow(/--rate expects/);
  });
});
