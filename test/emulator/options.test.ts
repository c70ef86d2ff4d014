import { describe, expect, it } from "vitest";
import { parseLimit, periodLabel, resolveOptions } from "../../src/emulator/options.js";

describe("parseLimit", () => {
  it("reads COUNT/UNIT for seconds, minutes and hours", () => {
    expect(parseLimit("10000/m")).toEqual({ count: 10_000, windowMs: 60_000 });
    expect(parseLimit("5/s")).toEqual({ count: 5, windowMs: 1_000 });
    expect(parseLimit("100/h")).toEqual({ count: 100, windowMs: 3_600_000 });
    expect(parseLimit("100/H")).toEqual({ count: 100, windowMs: 3_600_000 });
    expect(parseLimit("99999/d")).toEqual({ count: 99_999, windowMs: 86_400_000 });
  });

  it.each(["", "10000", "10000/", "/m", "0/m", "-1/s", "1.5/s", "10/M", "10/y", "ten/m", "10 / m"])(
    "refuses %j with a message showing the expected form",
    (text) => {
      expect(() => parseLimit(text)).toThrow(/COUNT\/UNIT, e\.g\. 10000\/m/);
    },
  );
});

describe("periodLabel", () => {
  it("spells periods as the docs do", () => {
    expect([1_000, 60_000, 3_600_000, 86_400_000].map(periodLabel)).toEqual([
      "1s",
      "1m",
      "1H",
      "1d",
    ]);
  });
});

describe("resolveOptions", () => {
  it("fills in the documented defaults", () => {
    const options = resolveOptions();
    expect(options).toMatchObject({
      host: "127.0.0.1",
      port: 0,
      token: "test-token",
      serviceId: "test-service",
      limit: { count: 10_000, windowMs: 60_000 },
      eventLimit: { count: 1_000_000, windowMs: 60_000 },
      identityLimit: { count: 10_000, windowMs: 60_000 },
      resetUnit: "s",
      overLimit: "http429",
      failAs: "both",
      failRate: 0,
      resetRate: 0,
    });
  });

  it("reports every problem at once", () => {
    const bad = () =>
      resolveOptions({
        port: 70_000,
        failRate: 2,
        jitterMs: -1,
        identityLimit: { count: 0, windowMs: 7 },
        catalog: { points: "Int" as "Long" },
      });
    expect(bad).toThrow(
      /port: .*identityLimit: count must be a positive integer; identityLimit: window must be .*failRate: .*jitterMs: .*catalog: property points has unknown type/,
    );
  });

  it("refuses fail and reset rates that add up to more than 1", () => {
    expect(() => resolveOptions({ failRate: 0.6, resetRate: 0.5 })).toThrow(/must not exceed 1/);
  });
});
