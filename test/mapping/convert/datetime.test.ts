import { IANAZone } from "luxon";
import { describe, expect, test } from "vitest";
import {
  isoUtc,
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

  test("rejects an offset beyond ±18:00 and accepts ±18:00 itself", () => {
    for (const text of [
      "2024-03-01T00:00:00+18:59",
      "2024-03-01T00:00:00-18:01",
      "2024-03-01T00:00:00+1801",
    ])
      expect(seoul(text)).toBeInstanceOf(Invalid);
    expect(seoul("2024-03-01T00:00:00+18:00")).toBe("2024-02-29T06:00:00.000Z");
    expect(seoul("2024-03-01T00:00:00-18:00")).toBe("2024-03-01T18:00:00.000Z");
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

describe("Datetime: fast paths agree with the slow definitions", () => {
  const HOUR = 3_600_000;
  const MINUTE = 60_000;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");

  test("isoUtc is Date#toISOString over the Datetime range, fractions cut", () => {
    const first = Date.parse("0100-01-01T00:00:00.000Z");
    const end = Date.parse("9999-12-31T23:59:59.999Z");
    const fixed = [
      first,
      first + 0.5,
      end,
      0,
      -1,
      -0.5,
      0.5,
      Date.parse("2024-02-29T23:59:59.999Z"),
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const samples = Array.from({ length: 50_000 }, () => first + random() * (end - first));
    for (const ms of [...fixed, ...samples, ...samples.map(Math.floor)]) {
      expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  test("isoUtc over instants in time order, several a day, across midnights and back", () => {
    const start = Date.parse("2023-12-30T20:00:00.000Z");
    const walk = Array.from({ length: 3_000 }, (_, i) => start + i * 97_003);
    for (const ms of [...walk, ...walk.reverse(), start, start - 1]) {
      expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  /** What a wall-clock time in a zone is, by definition: the offsets that fit it. */
  function reference(zone: IANAZone, wall: number): number | "gap" | "ambiguous" {
    const offsets = new Set<number>();
    for (let k = -48; k <= 48; k++) offsets.add(zone.offset(wall + k * HOUR));
    const fits = new Set<number>();
    for (const o of offsets) if (zone.offset(wall - o * MINUTE) === o) fits.add(wall - o * MINUTE);
    if (fits.size === 0) return "gap";
    if (fits.size > 1) return "ambiguous";
    return [...fits][0] as number;
  }

  test.each([
    ["America/New_York", 2024],
    ["Europe/London", 2023],
    ["Australia/Lord_Howe", 2024],
    ["America/Santiago", 2024],
    ["Asia/Seoul", 1988],
    ["Pacific/Apia", 2011],
    ["Asia/Seoul", 2024],
  ])("around every clock change of %s in %d, every 15 minutes", (name, year) => {
    const zone = IANAZone.create(name);
    const parse = makeDatetimeParser(name);
    const start = Date.UTC(year, 0, 1);
    const changes: number[] = [];
    for (let t = start; t < Date.UTC(year + 1, 0, 1); t += HOUR) {
      if (zone.offset(t) !== zone.offset(t + HOUR)) changes.push(t);
    }
    const walls = new Set<number>([start + 5 * HOUR]);
    for (const change of changes) {
      for (let w = change - 3 * 24 * HOUR; w <= change + 3 * 24 * HOUR; w += 15 * MINUTE)
        walls.add(w);
    }
    for (const wall of walls) {
      const d = new Date(wall);
      const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      const want = reference(zone, wall);
      const got = parse(text);
      if (want === "gap") expect(String((got as Invalid).detail), text).toContain("does not exist");
      else if (want === "ambiguous")
        expect(String((got as Invalid).detail), text).toContain("happens twice");
      else expect(got, text).toBe(new Date(want).toISOString());
    }
    if (name !== "Asia/Seoul" || year !== 2024) expect(changes.length).toBeGreaterThan(0);
  });
});
