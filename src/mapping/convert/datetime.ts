import { IANAZone } from "luxon";
import { daysInMonth } from "./date.js";
import { Invalid, show } from "./invalid.js";

// Date (-, / or . between the parts), T or space, hh:mm[:ss[.fraction]], then Z or an offset.
const DATETIME =
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?: ?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;
const DATE_ONLY = /^\d{4}([-/.])\d{1,2}\1\d{1,2}$|^\d{8}$/;

export const DATETIME_EXPECTED =
  "expected a date-time such as 2024-03-01T09:00:00+09:00, 2024-03-01T00:00:00Z or 2024-03-01 09:00";

const MINUTE = 60_000;
// What DFINERY's Datetime (and value-types' isRealDatetime) accepts: years 0100 to 9999 in UTC.
const FIRST_MS = new Date("0100-01-01T00:00:00.000Z").getTime();
const END_MS = new Date("+010000-01-01T00:00:00.000Z").getTime();
const DAY = 86_400_000;

/** True when luxon (and so Intl) knows the IANA time zone name. */
export function isValidZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Milliseconds since the epoch of a wall-clock time read as UTC; works for years 0–99 too. */
function wallClockMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
) {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y >= 100) return t;
  const date = new Date(t);
  date.setUTCFullYear(y);
  return date.getTime();
}

/**
 * The offset (minutes) of a zone at an instant. Luxon asks Intl, which costs microseconds, so the
 * offset is cached per UTC day when it is the same at both ends of the day (a day holding a
 * transition is always asked exactly).
 */
function offsetLookup(zoneName: string): (ts: number) => number {
  const zone = IANAZone.create(zoneName);
  const perDay = new Map<number, number>();
  return (ts) => {
    const day = Math.floor(ts / DAY);
    let offset = perDay.get(day);
    if (offset === undefined) {
      const start = zone.offset(day * DAY);
      offset = start === zone.offset(day * DAY + DAY - 1) ? start : Number.NaN;
      if (perDay.size >= 100_000) perDay.clear();
      perDay.set(day, offset);
    }
    return Number.isNaN(offset) ? zone.offset(ts) : offset;
  };
}

type LocalToUtc = (wallMs: number) => number | "gap" | "ambiguous";

/** Reads a wall-clock time in a zone; a time skipped or repeated by a DST change is not guessed. */
function localToUtc(zoneName: string): LocalToUtc {
  const offsetAt = offsetLookup(zoneName);
  return (wall) => {
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    const a = wall - before * MINUTE;
    const aFits = offsetAt(a) === before;
    if (before === after) return aFits ? a : "gap";
    const b = wall - after * MINUTE;
    const bFits = offsetAt(b) === after;
    if (aFits && bFits) return a === b ? a : "ambiguous";
    if (aFits) return a;
    if (bFits) return b;
    return "gap";
  };
}

function parseOffset(text: string): number | undefined {
  if (text === "Z" || text === "z") return 0;
  const sign = text[0] === "-" ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (h > 18 || m > 59) return undefined;
  return sign * (h * 60 + m);
}

/**
 * Compiles a Datetime parser for a zone (validated beforehand with `isValidZone`). The result is
 * DFINERY's form, UTC with milliseconds: `2024-03-01T00:00:00.000Z`. Text with `Z` or an offset is
 * read as written; text without one is read in `zoneName`. A fraction beyond milliseconds is cut.
 */
export function makeDatetimeParser(zoneName: string): (text: string) => string | Invalid {
  const toUtc = localToUtc(zoneName);
  return (text) => {
    const m = DATETIME.exec(text);
    if (m === null) {
      if (DATE_ONLY.test(text)) {
        return new Invalid(`${show(text)} is a date without a time (use type Date, or add a time)`);
      }
      return new Invalid(`${show(text)} is not a Datetime (${DATETIME_EXPECTED})`);
    }
    const y = Number(m[1]);
    const mo = Number(m[3]);
    const d = Number(m[4]);
    const h = Number(m[5]);
    const mi = Number(m[6]);
    const s = m[7] === undefined ? 0 : Number(m[7]);
    const ms = m[8] === undefined ? 0 : Number(m[8].slice(0, 3).padEnd(3, "0"));
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
      return new Invalid(`${show(text)} is not a real date-time`);
    }
    const wall = wallClockMs(y, mo, d, h, mi, s, ms);
    let utc: number;
    if (m[9] !== undefined) {
      const offset = parseOffset(m[9]);
      if (offset === undefined) return new Invalid(`${show(text)} has an impossible UTC offset`);
      utc = wall - offset * MINUTE;
    } else {
      const read = toUtc(wall);
      if (read === "gap") {
        return new Invalid(
          `${show(text)} does not exist in ${zoneName} (skipped by a clock change)`,
        );
      }
      if (read === "ambiguous") {
        return new Invalid(
          `${show(text)} happens twice in ${zoneName} (clock change); write it with an offset`,
        );
      }
      utc = read;
    }
    if (utc < FIRST_MS || utc >= END_MS)
      return new Invalid(`${show(text)} is out of the Datetime range`);
    return new Date(utc).toISOString();
  };
}

/** A Datetime from a cell: text only (epoch numbers are not guessed as seconds or milliseconds). */
export function makeDatetimeConverter(zoneName: string): (value: unknown) => string | Invalid {
  const parse = makeDatetimeParser(zoneName);
  return (value) =>
    typeof value === "string"
      ? parse(value)
      : new Invalid(`${show(value)} is not a Datetime (${DATETIME_EXPECTED})`);
}
