import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { decimalAt, digitsValue } from "../../src/source/xlsx-numbers.js";

const at = (text: string, read: (b: Uint8Array, start: number, end: number) => number) => {
  const bytes = Buffer.from(`<v>${text}</v>`, "latin1");
  return read(bytes, 3, bytes.length - 4);
};

/** Digits as Excel writes numbers: a date-time's serial, a time of day, money, an id. */
function decimals(count: number): string[] {
  const random = seededRandom(20);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const whole = [String(Math.floor(random() * 3_000_000)), "0", "1", digits(1 + (i % 12))][i % 4];
    const fraction = digits(i % 19);
    const sign = i % 7 === 0 ? "-" : "";
    out.push(`${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`);
    out.push(String(random()));
  }
  return out;
}

describe("numbers read from a sheet's bytes", () => {
  it("reads every decimal as Number does, or leaves it to Number (NaN)", () => {
    const random = seededRandom(1904);
    // Date-times' serials as Excel writes them (up to 17 digits): read without Number, but a few.
    const serials = Array.from({ length: 30_000 }, () => String(45_000 + random() * 1000));
    let read = 0;
    for (const text of [...decimals(30_000), ...serials]) {
      const value = at(text, decimalAt);
      if (Number.isNaN(value)) continue;
      read++;
      if (!Object.is(value, Number(text))) expect.fail(`${text}: ${value}, Number ${Number(text)}`);
    }
    expect(serials.filter((text) => Number.isNaN(at(text, decimalAt))).length).toBeLessThan(10);
    expect(read).toBeGreaterThan(50_000); // of 90,000
    const ties = ["9007199254740993", "2.0000000000000004440892098500626", "44928.00001157407715"];
    for (const text of ties)
      expect(
        Object.is(at(text, decimalAt), Number(text)) || Number.isNaN(at(text, decimalAt)),
      ).toBe(true);
  });

  it("leaves what Number reads otherwise to it", () => {
    for (const text of [
      "",
      "-",
      "1.",
      ".5",
      " 12",
      "1e5",
      "1E-3",
      "0x10",
      "+1",
      "1,5",
      "Infinity",
      "--1",
    ]) {
      expect(at(text, decimalAt), text).toBeNaN();
    }
    expect(["-0", "007", "12.250"].map((t) => at(t, decimalAt))).toEqual([-0, 7, 12.25]);
    expect(["12", "", "1.5", "1234567890123456"].map((t) => at(t, digitsValue))).toEqual([
      12, -1, -1, -1,
    ]);
  });
});
