import { describe, expect, test } from "vitest";
import { applyMapping, type MappingResult } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { SourceFormat } from "../../src/source/types.js";
import { parseJson } from "../../src/util/exact-number.js";
import { issuesOf, withProperties } from "./helpers.js";

function mapped(
  properties: string,
  cells: Record<string, unknown>,
  timezone = "Asia/Seoul",
  format: SourceFormat = "csv",
): MappingResult {
  const yaml = withProperties(properties, `source: { timezone: ${timezone} }\n`);
  return applyMapping(parseMapping(yaml, "m.yaml"), { kind: "row", line: 2, cells }, format);
}

/** The user_properties sent for a row, or the failure's message. */
function sent(
  properties: string,
  cells: Record<string, unknown>,
  timezone?: string,
  format?: SourceFormat,
) {
  const result = mapped(properties, { id: "u1", ...cells }, timezone, format);
  return result.ok ? result.update.user_properties : result.failure.message;
}

describe("format on Datetime", () => {
  test.each([
    ["yyyy-MM-dd a h:mm:ss", "2024-05-14 오후 3:05:12", "2024-05-14T06:05:12.000Z"],
    ["yyyy-MM-dd a h:mm:ss", "2024-05-14 오전 12:05:12", "2024-05-13T15:05:12.000Z"],
    ["yyyy-MM-dd a h:mm:ss", "2024-05-14 PM 3:05:12", "2024-05-14T06:05:12.000Z"],
    ["yyyy-MM-dd a h:mm:ss", "2024-05-14 pm 3:05:12", "2024-05-14T06:05:12.000Z"],
    ["yyyy. M. d. a h:mm", "2024. 5. 14. 오후 3:05", "2024-05-14T06:05:00.000Z"],
    ["M/d/yyyy H:mm:ss", "5/14/2024 15:05:12", "2024-05-14T06:05:12.000Z"],
    ["dd.MM.yyyy HH:mm", "14.05.2024 15:05", "2024-05-14T06:05:00.000Z"],
    ["yyyy-MM-dd HH:mm:ss ZZ", "2024-05-14 15:05:12 -04:00", "2024-05-14T19:05:12.000Z"],
    ["MMM d, yyyy h:mm a", "May 14, 2024 3:05 PM", "2024-05-14T06:05:00.000Z"],
  ])("%j reads %j in Asia/Seoul as %j", (format, cell, iso) => {
    expect(
      sent(`  seen: { column: c, type: Datetime, format: "${format}" }\n`, { c: cell }),
    ).toEqual({ seen: iso });
  });

  test("epoch_ms and epoch_s, as JSON numbers or numeric text", () => {
    const ms = "  seen: { column: c, type: Datetime, format: epoch_ms }\n";
    const s = "  seen: { column: c, type: Datetime, format: epoch_s }\n";
    expect(sent(ms, { c: 1656168261629 }, "UTC", "ndjson")).toEqual({
      seen: "2022-06-25T14:44:21.629Z",
    });
    expect(sent(ms, { c: "1656168261629" })).toEqual({ seen: "2022-06-25T14:44:21.629Z" });
    expect(sent(s, { c: 1660733586 }, "UTC", "ndjson")).toEqual({
      seen: "2022-08-17T10:53:06.000Z",
    });
    expect(sent(s, { c: "1660733586.25" })).toEqual({ seen: "2022-08-17T10:53:06.250Z" });
  });

  test("epoch_us (GA4's event_timestamp, often a string) and epoch_ns, cut to the millisecond", () => {
    const us = "  seen: { column: c, type: Datetime, format: epoch_us }\n";
    const ns = "  seen: { column: c, type: Datetime, format: epoch_ns }\n";
    expect(sent(us, { c: "1700000000123456" })).toEqual({ seen: "2023-11-14T22:13:20.123Z" });
    expect(sent(us, { c: 1700000000123999 }, "UTC", "ndjson")).toEqual({
      seen: "2023-11-14T22:13:20.123Z",
    });
    // Beyond a double's exact integers: 1700000000123999999 as a double is …124000000000.
    expect(sent(ns, { c: "1700000000123999999" })).toEqual({ seen: "2023-11-14T22:13:20.123Z" });
    expect(
      sent(
        ns,
        { c: (parseJson('{"t":1700000000123999999}') as { t: unknown }).t },
        "UTC",
        "ndjson",
      ),
    ).toEqual({ seen: "2023-11-14T22:13:20.123Z" });
  });

  test.each([
    [
      "epoch_us",
      "1700000000123",
      "too small for epoch microseconds (before 1973): is it in milliseconds (epoch_ms)?",
    ],
    [
      "epoch_ns",
      "1700000000123456",
      "too small for epoch nanoseconds (before 1973): is it in microseconds (epoch_us)?",
    ],
    ["epoch_ns", "170000000012345678901", "too large for epoch nanoseconds (after the year 5138)"],
    [
      "epoch_ms",
      "1660733586",
      "too small for epoch milliseconds (before 1973): is it in seconds (epoch_s)?",
    ],
    [
      "epoch_s",
      "1656168261629",
      "too large for epoch seconds (after the year 5138): is it in milliseconds (epoch_ms)?",
    ],
    [
      "epoch_ms",
      "1700000000123456",
      "too large for epoch milliseconds (after the year 5138): is it in microseconds (epoch_us)?",
    ],
  ])("%s refuses %s, naming the unit it looks like", (format, cell, why) => {
    const rule = `  seen: { column: c, type: Datetime, format: ${format} }\n`;
    expect(sent(rule, { c: cell })).toBe(`column "c": "${cell}" is ${why}`);
  });

  test("luxon's X and x are epoch seconds and milliseconds", () => {
    const X = '  seen: { column: c, type: Datetime, format: "X" }\n';
    const x = '  seen: { column: c, type: Datetime, format: "x" }\n';
    expect(sent(X, { c: "1660733586" })).toEqual({ seen: "2022-08-17T10:53:06.000Z" });
    expect(sent(x, { c: "1656168261629" }, "Asia/Seoul")).toEqual({
      seen: "2022-06-25T14:44:21.629Z",
    });
  });

  test("an unknown format word lists the keywords", () => {
    expect(() =>
      parseMapping(
        "identity: { external_id: id }\nproperties:\n  seen: { column: c, type: Datetime, format: epoch_sec }\n",
        "m.yaml",
      ),
    ).toThrow(
      'properties.seen.format: "epoch_sec" is not a format keyword (did you mean `epoch_s`?): the keywords are iso, epoch_s, epoch_ms, epoch_us, epoch_ns, X (epoch_s), x (epoch_ms); nor a luxon pattern: ',
    );
  });

  test("out-of-range epochs are invalid; a list of epoch formats reads each by its band", () => {
    const ms = "  seen: { column: c, type: Datetime, format: epoch_ms }\n";
    const s = "  seen: { column: c, type: Datetime, format: epoch_s }\n";
    expect(sent(s, { c: "-99999999999" })).toBe(
      'column "c": "-99999999999" is out of the Datetime range',
    );
    expect(sent(ms, { c: "16561682616x9" })).toBe(
      'column "c": "16561682616x9" does not match the format epoch_ms',
    );
    const both = "  seen: { column: c, type: Datetime, format: [epoch_s, epoch_ms] }\n";
    expect(sent(both, { c: "1660733586" })).toEqual({ seen: "2022-08-17T10:53:06.000Z" });
    expect(sent(both, { c: "1656168261629" })).toEqual({ seen: "2022-06-25T14:44:21.629Z" });
  });

  test("a time a DST change skips is invalid under a pattern, never shifted", () => {
    const rule = '  seen: { column: c, type: Datetime, format: "M/d/yyyy H:mm:ss" }\n';
    expect(sent(rule, { c: "3/10/2024 2:30:00" }, "America/New_York")).toBe(
      'column "c": "3/10/2024 2:30:00" does not exist in America/New_York (skipped by a clock change)',
    );
    expect(sent(rule, { c: "3/10/2024 3:30:00" }, "America/New_York")).toEqual({
      seen: "2024-03-10T07:30:00.000Z",
    });
    expect(sent(rule, { c: "11/3/2024 1:30:00" }, "America/New_York")).toBe(
      'column "c": "11/3/2024 1:30:00" happens twice in America/New_York (clock change); write it with an offset',
    );
  });

  test("invalid dates stay invalid", () => {
    const rule = '  seen: { column: c, type: Datetime, format: "M/d/yyyy H:mm:ss" }\n';
    expect(sent(rule, { c: "2/30/1990 10:00:00" })).toBe(
      'column "c": "2/30/1990 10:00:00" is not a real date-time (format "M/d/yyyy H:mm:ss")',
    );
    expect(sent(rule, { c: "2024-05-14 10:00:00" })).toBe(
      'column "c": "2024-05-14 10:00:00" does not match the format "M/d/yyyy H:mm:ss"',
    );
  });

  test("a list reads each cell by the format that fits; two different readings are ambiguous", () => {
    const rule =
      '  seen: { column: c, type: Datetime, format: ["M/d/yyyy H:mm", "d.M.yyyy H:mm"] }\n';
    expect(sent(rule, { c: "5/14/2024 15:05" })).toEqual({ seen: "2024-05-14T06:05:00.000Z" });
    expect(sent(rule, { c: "14.5.2024 15:05" })).toEqual({ seen: "2024-05-14T06:05:00.000Z" });
    const ambiguous =
      '  seen: { column: c, type: Datetime, format: ["M/d/yyyy H:mm", "d/M/yyyy H:mm"] }\n';
    expect(sent(ambiguous, { c: "5/3/2024 10:00" })).toBe(
      'column "c": "5/3/2024 10:00" is ambiguous: format "M/d/yyyy H:mm" reads 2024-05-03T01:00:00.000Z, "d/M/yyyy H:mm" reads 2024-03-05T01:00:00.000Z',
    );
    // Both read the same instant: nothing to choose.
    expect(sent(ambiguous, { c: "5/5/2024 10:00" })).toEqual({ seen: "2024-05-05T01:00:00.000Z" });
    expect(sent(ambiguous, { c: "yesterday" })).toBe(
      'column "c": "yesterday" matches none of the formats "M/d/yyyy H:mm", "d/M/yyyy H:mm"',
    );
  });

  test("in a list, a reading a clock change spoils still makes the cell ambiguous, never lets the other format win", () => {
    const rule =
      '  seen: { column: c, type: Datetime, format: ["M/d/yyyy H:mm", "d/M/yyyy H:mm"] }\n';
    // 3/10/2024 2:30 is 10 March (a time New York skips) or 3 October (a fine time): both real dates.
    expect(sent(rule, { c: "3/10/2024 2:30" }, "America/New_York")).toBe(
      'column "c": "3/10/2024 2:30" is ambiguous: format "d/M/yyyy H:mm" reads 2024-10-03T06:30:00.000Z, "M/d/yyyy H:mm" reads a real date at a time a clock change skips or repeats ("3/10/2024 2:30" does not exist in America/New_York (skipped by a clock change))',
    );
    // 11/3/2024 1:30 happens twice in New York on 3 November; 11 March is fine.
    const twice = sent(rule, { c: "11/3/2024 1:30" }, "America/New_York");
    expect(twice).toContain('is ambiguous: format "d/M/yyyy H:mm" reads 2024-03-11T05:30:00.000Z');
    expect(twice).toContain("happens twice in America/New_York");
    // A reading that is not a real date still rules its format out: 5/14 can only be 14 May.
    expect(sent(rule, { c: "5/14/2024 2:30" }, "America/New_York")).toEqual({
      seen: "2024-05-14T06:30:00.000Z",
    });
  });

  test("a list mixes patterns and keywords", () => {
    const rule =
      '  seen: { column: c, type: Datetime, format: [iso, "yyyy. M. d. H:mm", epoch_ms] }\n';
    expect(sent(rule, { c: "2024-05-14T15:05:00+09:00" })).toEqual({
      seen: "2024-05-14T06:05:00.000Z",
    });
    expect(sent(rule, { c: "2024. 5. 14. 15:05" })).toEqual({ seen: "2024-05-14T06:05:00.000Z" });
    expect(sent(rule, { c: "1715666700000" })).toEqual({ seen: "2024-05-14T06:05:00.000Z" });
    expect(sent(rule, { c: "2024-02-30 10:00" })).toBe(
      'column "c": "2024-02-30 10:00" is not a real date-time',
    );
  });
});

describe("format on Date", () => {
  test.each([
    ["yyyy. M. d.", "1990. 3. 15.", "1990-03-15"],
    ["M/d/yyyy", "3/15/1990", "1990-03-15"],
    ["dd.MM.yyyy", "15.03.1990", "1990-03-15"],
    ["yyyy-MM-dd HH:mm:ss", "1990-03-15 00:00:00", "1990-03-15"],
    ["yyyy-MM-dd a h:mm:ss", "1990-03-15 오후 11:59:59", "1990-03-15"],
    ["yyyyMMdd", "19900315", "1990-03-15"],
  ])("%j reads %j as %j", (format, cell, date) => {
    expect(sent(`  df_birth: { column: c, format: "${format}" }\n`, { c: cell })).toEqual({
      df_birth: date,
    });
  });

  test("a pattern reads a JSON number as its text; the iso rules do not", () => {
    expect(
      sent('  df_birth: { column: c, format: "yyyyMMdd" }\n', { c: 19900315 }, "UTC", "ndjson"),
    ).toEqual({
      df_birth: "1990-03-15",
    });
  });

  test("an epoch Date is the calendar date of the instant in the source's zone", () => {
    // 2022-06-25T20:00:00Z is 2022-06-26 05:00 in Seoul.
    const rule = "  df_birth: { column: c, format: epoch_s }\n";
    expect(sent(rule, { c: "1656187200" })).toEqual({ df_birth: "2022-06-26" });
    expect(sent(rule, { c: "1656187200" }, "UTC")).toEqual({ df_birth: "2022-06-25" });
  });

  test("a year of fewer than four digits is written with four; beyond 9999 is invalid", () => {
    const rule = '  df_birth: { column: c, format: "M/d/y" }\n';
    expect(sent(rule, { c: "3/1/199" })).toEqual({ df_birth: "0199-03-01" });
    expect(sent(rule, { c: "3/1/20240" })).toBe(
      'column "c": "3/1/20240" is out of the Date range (years 0100–9999)',
    );
  });

  test("invalid dates stay invalid", () => {
    expect(sent('  df_birth: { column: c, format: "M/d/yyyy" }\n', { c: "2/30/1990" })).toBe(
      'column "c": "2/30/1990" is not a real date (format "M/d/yyyy")',
    );
    expect(
      sent('  df_birth: { column: c, format: "yyyy-MM-dd HH:mm:ss" }\n', {
        c: "1990-03-15 25:00:00",
      }),
    ).toBe('column "c": "1990-03-15 25:00:00" is not a real date (format "yyyy-MM-dd HH:mm:ss")');
  });
});

describe("the mapping check", () => {
  test("rejects a pattern luxon cannot read, with its line", () => {
    const issues = issuesOf(
      withProperties(
        '  joined: { column: j, type: Datetime, format: "YYYY-MM-DD HH:mm" }\n  df_birth: { column: b, format: [iso, "yyyy-MM-dd h:mm"] }\n',
      ),
    );
    expect(issues).toEqual([
      {
        path: "properties.joined.format",
        line: 4,
        message:
          '"YYYY-MM-DD HH:mm": YYYY is not a luxon token, and luxon would look for the letters "YYYY" in every cell (years are yyyy, days d or dd, a fraction of a second u (or SSS for exactly three digits); quote literal text: \'T\')',
      },
      {
        path: "properties.df_birth.format.1",
        line: 5,
        message: '"yyyy-MM-dd h:mm": h is the 12-hour clock and needs a (AM/PM); use H for 0–23',
      },
    ]);
  });

  test("format applies to Date and Datetime only, and not with value", () => {
    expect(
      issuesOf(
        withProperties(
          '  n: { column: n, format: "yyyy" }\n  k: { value: "2024-01-01", type: Date, format: iso }\n',
        ),
      ),
    ).toEqual([
      {
        path: "properties.n.format",
        line: 4,
        message: "format applies to Date and Datetime, not String",
      },
      { path: "properties.k.format", line: 5, message: "format has no effect with value" },
    ]);
  });
});
