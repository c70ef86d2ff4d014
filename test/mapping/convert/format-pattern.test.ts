import { DateTime } from "luxon";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../../bench/seeded-random.js";
import {
  checkPattern,
  compilePattern,
  NO_MATCH,
  NOT_REAL,
} from "../../../src/mapping/convert/format-pattern.js";

describe("checkPattern", () => {
  test.each([
    ["yyyy-MM-dd a h:mm:ss"],
    ["yyyy. M. d."],
    ["M/d/yyyy H:mm:ss"],
    ["dd.MM.yyyy"],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSZZ"],
    ["MMM d, yyyy"],
  ])("accepts %j", (pattern) => {
    expect(checkPattern(pattern)).toBeUndefined();
  });

  test.each([
    ["YYYY-MM-DD", /YYYY is not a luxon token/],
    ["yyyy-MM-dd HH:mm:ss.SS", /SS is not a luxon token/],
    ["yyyy-MM-dd HH:mm a", /goes with h/],
    ["yyyy-MM-dd h:mm", /needs a \(AM\/PM\)/],
    ["MM-dd", /needs the year/],
    ["D", /macro token/],
    ["yyyy-MM-dd yyyy", /appears twice/],
  ])("rejects %j", (pattern, why) => {
    expect(checkPattern(pattern)).toMatch(why);
  });
});

describe("compiled patterns", () => {
  test("a reads AM/PM in any case and 오전/오후; 12 AM is midnight, 12 PM noon", () => {
    const parse = compilePattern("yyyy-MM-dd a h:mm");
    const hour = (text: string) => {
      const w = parse(text);
      return typeof w === "object" ? w.h : w;
    };
    expect(hour("2024-05-14 PM 3:05")).toBe(15);
    expect(hour("2024-05-14 pm 3:05")).toBe(15);
    expect(hour("2024-05-14 Am 3:05")).toBe(3);
    expect(hour("2024-05-14 오후 3:05")).toBe(15);
    expect(hour("2024-05-14 오전 3:05")).toBe(3);
    expect(hour("2024-05-14 오전 12:05")).toBe(0);
    expect(hour("2024-05-14 오후 12:05")).toBe(12);
    expect(hour("2024-05-14 오후 13:05")).toBe(NOT_REAL);
    expect(hour("2024-05-14 저녁 3:05")).toBe(NO_MATCH);
  });

  test("reads offsets as luxon does and refuses impossible ones", () => {
    const parse = compilePattern("yyyy-MM-dd HH:mm ZZ");
    expect(parse("2024-05-14 15:05 +09:00")).toMatchObject({ h: 15, offset: 540 });
    expect(parse("2024-05-14 15:05 -03:30")).toMatchObject({ offset: -210 });
    expect(parse("2024-05-14 15:05 +19:00")).toBe(NOT_REAL);
  });

  test("hands month names to luxon, with the same result shape", () => {
    const parse = compilePattern("MMM d, yyyy h:mm a");
    expect(parse("May 14, 2024 3:05 PM")).toEqual({
      y: 2024,
      mo: 5,
      d: 14,
      h: 15,
      mi: 5,
      s: 0,
      ms: 0,
      offset: undefined,
    });
    expect(parse("Foo 14, 2024 3:05 PM")).toBe(NO_MATCH);
    expect(parse("Feb 30, 2024 3:05 PM")).toBe(NOT_REAL);
  });

  // The fast path must read every text as luxon's fromFormat does (luxon accepts 12-hour clock
  // hours 0 and 13–23 with a meridiem; the fast path refuses them).
  const PATTERNS = [
    "yyyy-MM-dd a h:mm:ss",
    "yyyy. M. d. a h:mm",
    "yyyy. M. d.",
    "M/d/yyyy",
    "M/d/yyyy H:mm:ss",
    "dd.MM.yyyy",
    "yyyy-MM-dd HH:mm:ss.SSS",
    "yy-M-d H:m:s.S",
    "yyyyMMddHHmmss",
    "yyyy-MM-dd'T'HH:mm:ssZZ",
    "yyyy-MM-dd HH:mm ZZZ",
    "d/M/y H:mm:ss.u",
  ];

  test("agrees with luxon's fromFormat on 24,000 random texts", () => {
    const random = seededRandom(7);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const digits = (n: number, width: number) =>
      random() < 0.7 ? String(n).padStart(width, "0") : String(n);
    let compared = 0;
    for (const pattern of PATTERNS) {
      const parse = compilePattern(pattern);
      for (let i = 0; i < 2000; i++) {
        const text = pattern
          .replace(/'T'/, "T")
          .replace(/yyyy|yy|y/, () =>
            digits(int(random() < 0.1 ? 0 : 1900, 2100), 4).slice(pattern.includes("yy-") ? 2 : 0),
          )
          .replace(/MM|M/, () => digits(int(0, 13), 2))
          .replace(/dd|d/, () => digits(int(0, 32), 2))
          .replace(/HH|H|h/, () => digits(int(0, 24), 2))
          .replace(/mm|m/, () => digits(int(0, 60), 2))
          .replace(/ss|s/, () => digits(int(0, 60), 2))
          .replace(/SSS|S|u/, () => String(int(0, 999)))
          .replace(/\ba\b/, () => ["AM", "pm", "Pm", "xm"][int(0, 3)] as string)
          .replace(
            /ZZZ|ZZ/,
            () =>
              `${random() < 0.5 ? "+" : "-"}${digits(int(0, 14), 2)}${pattern.includes("ZZZ") ? "" : ":"}${digits(int(0, 59), 2)}`,
          );
        const mine = parse(text);
        const dt = DateTime.fromFormat(text, pattern, {
          zone: "UTC",
          setZone: true,
          locale: "en-US",
        });
        const hour12 = Number(/(?:AM|pm|Pm|xm) (\d+)/.exec(text)?.[1] ?? 1);
        if (pattern.includes("a") && (hour12 < 1 || hour12 > 12) && dt.isValid) {
          expect(mine, text).toBe(NOT_REAL);
          continue;
        }
        if (!dt.isValid) {
          const expected = dt.invalidReason === "unparsable" ? NO_MATCH : NOT_REAL;
          // Luxon takes any offset; the fast path refuses offsets beyond ±18:00 (none generated).
          expect(mine, `${pattern} ${text}`).toBe(expected);
          continue;
        }
        compared++;
        expect(mine, `${pattern} ${text}`).toEqual({
          y: dt.year,
          mo: dt.month,
          d: dt.day,
          h: dt.hour,
          mi: dt.minute,
          s: dt.second,
          ms: dt.millisecond,
          offset: /Z/.test(pattern) ? dt.offset : undefined,
        });
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});
