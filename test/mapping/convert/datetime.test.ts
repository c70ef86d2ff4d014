import { describe, expect, test } from "vitest";
import {
  isValidZone,
  makeDatetimeConverter,
  makeDatetimeParser,
} from "../../../src/mapping/convert/datetime.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";

const seoul = makeDatetimeParser("Asia/Seoul");
const utc = makeDatetimeParser("UTC");
const newYork = makeDatetimeParser("America/New_York");

describe("Datetime", () => {
  test("reads 2024-03-01 09:00 in Asia/Seoul as 2024-03-01T00:00:00.000Z", () => {
    expect(seoul("2024-03-01 09:00")).toBe("2024-03-01T00:00:00.000Z");
  });

  test.each([
    ["2024-03-01T09:00:00+09:00", "2024-03-01T00:00:00.000Z"],
    ["2024-03-01T09:00:00+0900", "2024-03-01T00:00:00.000Z"],
    ["2024-03-01T09:00+09", "2024-03-01T00:00:00.000Z"],
    ["2024-03-01T00:00:00Z", "2024-03-01T00:00:00.000Z"],
    ["2024-03-01T00:00:00.123Z", "2024-03-01T00:00:00.123Z"],
    ["2024-03-01T00:00:00.123456Z", "2024-03-01T00:00:00.123Z"],
    ["2024-02-29T23:30:00-01:00", "2024-03-01T00:30:00.000Z"],
  ])("reads %j, which has an offset, as written: %j", (text, iso) => {
    expect(seoul(text)).toBe(iso);
  });

  test.each([
    ["2024-03-01 09:00:30", "2024-03-01T00:00:30.000Z"],
    ["2024-03-01 09:00:30.5", "2024-03-01T00:00:30.500Z"],
    ["2024-03-01T09:00", "2024-03-01T00:00:00.000Z"],
    ["2024/03/01 09:00", "2024-03-01T00:00:00.000Z"],
    ["2024.03.01 09:00:00", "2024-03-01T00:00:00.000Z"],
    ["2024-03-01 9:00", "2024-03-01T00:00:00.000Z"],
  ])("reads %j without an offset in the source zone", (text, iso) => {
    expect(seoul(text)).toBe(iso);
  });

  test("reads local times in UTC by default", () => {
    expect(utc("2024-03-01 09:00")).toBe("2024-03-01T09:00:00.000Z");
  });

  test("rejects impossible values (2024-02-30 10:00, 25:00)", () => {
    for (const text of [
      "2024-02-30 10:00",
      "2024-03-01 25:00",
      "2024-03-01 24:00",
      "2024-03-01 10:60",
      "2024-03-01 10:00:60",
    ]) {
      const out = seoul(text);
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toContain("is not a real date-time");
    }
  });

  test("rejects an impossible offset", () => {
    expect(seoul("2024-03-01T09:00:00+25:00")).toBeInstanceOf(Invalid);
  });

  test("rejects a date alone, with a hint to use type Date", () => {
    const out = seoul("2024-03-01");
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toBe(
      '"2024-03-01" is a date without a time (use type Date, or add a time)',
    );
  });

  test("rejects a local time skipped by a DST change", () => {
    const out = newYork("2024-03-10 02:30");
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("does not exist in America/New_York");
  });

  test("rejects a local time repeated by a DST change, unless it has an offset", () => {
    const out = newYork("2024-11-03 01:30");
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("happens twice");
    expect(newYork("2024-11-03 01:30-04:00")).toBe("2024-11-03T05:30:00.000Z");
  });

  test("reads times around DST changes with the right offset", () => {
    expect(newYork("2024-03-10 01:59")).toBe("2024-03-10T06:59:00.000Z");
    expect(newYork("2024-03-10 03:00")).toBe("2024-03-10T07:00:00.000Z");
    expect(newYork("2024-07-01 12:00")).toBe("2024-07-01T16:00:00.000Z");
    expect(newYork("2024-11-03 02:00")).toBe("2024-11-03T07:00:00.000Z");
  });

  test("rejects other shapes", () => {
    for (const text of [
      "yesterday",
      "2024-03-01 09",
      "01/03/2024 09:00",
      "2024-03-01T09:00:00 KST",
      "",
    ]) {
      expect(seoul(text)).toBeInstanceOf(Invalid);
    }
  });

  test("does not guess an epoch number from NDJSON", () => {
    expect(makeDatetimeConverter("UTC")(1709251200)).toBeInstanceOf(Invalid);
  });

  test("knows IANA zone names", () => {
    expect(isValidZone("Asia/Seoul")).toBe(true);
    expect(isValidZone("UTC")).toBe(true);
    expect(isValidZone("Asia/Seul")).toBe(false);
    expect(isValidZone("KST")).toBe(false);
  });
});
