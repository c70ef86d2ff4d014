import { describe, expect, test } from "vitest";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { parseDouble, parseLong, toDouble, toLong } from "../../../src/mapping/convert/number.js";
import { ExactNumber } from "../../../src/util/exact-number.js";

describe("Long", () => {
  test("reads 1,555,144 as a Long", () => {
    expect(parseLong("1,555,144")).toBe(1555144);
  });

  test("reads signs and plain digits", () => {
    expect(parseLong("+5")).toBe(5);
    expect(parseLong("-5")).toBe(-5);
    expect(parseLong("42")).toBe(42);
    expect(parseLong("-1,000")).toBe(-1000);
  });

  test("never sends -0", () => {
    expect(Object.is(parseLong("-0"), 0)).toBe(true);
  });

  test.each(["12.5", "12.0", "1,55,5", "1,5555", ",555", "1e3", "12a", "", "- 5", "0x10"])(
    "rejects %j",
    (text) => {
      const out = parseLong(text);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toContain("is not a Long");
    },
  );

  test.each(["0,500", "00,001", "-0,500", "0,000", "012,345"])(
    "rejects %j: a first group with a leading zero is a decimal comma, not thousands",
    (text) => {
      const out = parseLong(text);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toContain("is not a Long");
    },
  );

  test("a lone 0 and digits without separators stay valid", () => {
    expect(parseLong("0")).toBe(0);
    expect(parseLong("007")).toBe(7);
    expect(parseLong("1,000")).toBe(1000);
    expect(parseLong("999,000")).toBe(999000);
  });

  test("keeps an integer beyond ±2^53 exactly (a 64-bit Long); rejects one beyond 64 bits", () => {
    expect(parseLong("9007199254740991")).toBe(9007199254740991);
    expect(parseLong("9,007,199,254,740,993")).toEqual(new ExactNumber("9007199254740993"));
    expect(parseLong("-09223372036854775808")).toEqual(new ExactNumber("-9223372036854775808"));
    const out = parseLong("9223372036854775808");
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toBe(
      '"9223372036854775808" is beyond the range of a Long (±9,223,372,036,854,775,807)',
    );
  });

  test("an exact JSON number: a Long keeps its digits, a Double is rounded as any, a fraction is no Long", () => {
    expect(toLong(new ExactNumber("12345678901234567890"))).toBeInstanceOf(Invalid);
    expect(toLong(new ExactNumber("1234567890123456789"))).toEqual(
      new ExactNumber("1234567890123456789"),
    );
    expect(toDouble(new ExactNumber("0.12345678901234567890"))).toBe(0.12345678901234568);
    expect((toLong(new ExactNumber("1.00000000000000000001")) as Invalid).detail).toBe(
      "1.00000000000000000001 is not a Long (expected an integer such as 42, -5 or 1,555,144)",
    );
  });

  test("takes an integer JSON number as is, rejects a fraction or a boolean", () => {
    expect(toLong(7)).toBe(7);
    expect(toLong("1,000")).toBe(1000);
    expect(toLong(1.5)).toBeInstanceOf(Invalid);
    expect(toLong(2 ** 53)).toBeInstanceOf(Invalid);
    expect(toLong(true)).toBeInstanceOf(Invalid);
  });
});

describe("Double", () => {
  test.each([
    ["-1.5", -1.5],
    ["1,234.5", 1234.5],
    ["1e3", 1000],
    ["+.5", 0.5],
    ["3.", 3],
    ["2.5E-3", 0.0025],
  ])("reads %j as %d", (text, value) => {
    expect(parseDouble(text)).toBe(value);
  });

  test.each(["NaN", "Infinity", "-Infinity", "", "1,23.5", "1.2.3", "1e", "abc", "1e400"])(
    "rejects %j",
    (text) => {
      expect(parseDouble(text)).toBeInstanceOf(Invalid);
    },
  );

  test.each(["0,500", "00,001", "-0,5", "0,500.25", "0,500e3"])(
    "rejects %j: a first group with a leading zero is a decimal comma, not thousands",
    (text) => {
      expect(parseDouble(text)).toBeInstanceOf(Invalid);
    },
  );

  test.each([
    ["0", 0],
    ["0.5", 0.5],
    ["-0.5", -0.5],
    ["1,000.5", 1000.5],
    ["10,000", 10000],
  ])("still reads %j as %d", (text, value) => {
    expect(parseDouble(text)).toBe(value);
  });

  test("takes a finite JSON number as is", () => {
    expect(toDouble(1.25)).toBe(1.25);
    expect(toDouble(Number.NaN)).toBeInstanceOf(Invalid);
    expect(toDouble(false)).toBeInstanceOf(Invalid);
  });
});
