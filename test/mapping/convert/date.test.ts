import { describe, expect, test } from "vitest";
import { isRealDate } from "../../../src/api/value-types.js";
import { parseDate, toDate } from "../../../src/mapping/convert/date.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";

describe("Date", () => {
  test.each([
    ["2024-03-01", "2024-03-01"],
    ["2024/03/01", "2024-03-01"],
    ["2024.03.01", "2024-03-01"],
    ["20240301", "2024-03-01"],
    ["2024/3/1", "2024-03-01"],
    ["2024-02-29", "2024-02-29"],
  ])("reads %j as %j", (text, date) => {
    expect(parseDate(text)).toBe(date);
  });

  test("rejects 2024-02-30 and other days that do not exist", () => {
    for (const text of ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "20240431"]) {
      const out = parseDate(text);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toContain("is not a real day");
    }
  });

  test("rejects mixed separators and other shapes", () => {
    for (const text of ["2024-03/01", "01/03/2024", "2024-03-01T00:00:00Z", "2024-3", "240301"]) {
      expect(parseDate(text)).toBeInstanceOf(Invalid);
    }
  });

  test("takes exactly the days a JS Date round-trips, as does the API's check (isRealDate)", () => {
    // The oracle: a day exists when Date.UTC gives it back unchanged (years 0–99 map to 19xx, so never).
    const exists = (y: number, m: number, d: number) => {
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    };
    const years = [0, 1, 99, 100, 400, 1582, 1900, 1970, 2000, 2023, 2024, 2100, 9999];
    const two = (n: number) => String(n).padStart(2, "0");
    for (const y of years) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const iso = `${String(y).padStart(4, "0")}-${two(m)}-${two(d)}`;
          const want = exists(y, m, d) ? iso : "invalid";
          expect(isRealDate(iso), iso).toBe(want === iso);
          for (const text of [iso, iso.replaceAll("-", "/"), iso.replaceAll("-", "")]) {
            const out = parseDate(text);
            expect(out instanceof Invalid ? "invalid" : out, text).toBe(want);
          }
        }
      }
    }
  });

  test("does not read a JSON number as a date", () => {
    expect(toDate(20240301)).toBeInstanceOf(Invalid);
  });
});
