import { IANAZone } from "luxon";
import { daysInMonth } from "../../api/value-types.js";
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

/**
 * `new Date(ms).toISOString()` for instants of years 0100 to 9999 (the Datetime range), without
 * a Date object: `2024-03-01T00:00:00.000Z`. A fraction of a millisecond is cut, as Date does.
 */
export function isoUtc(ms: number): string {
  const t = Math.trunc(ms);
  const days = Math.floor(t / DAY);
  let rest = t - days * DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / MINUTE);
  rest -= mi * MINUTE;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  // One flat string made at once from its 24 character codes: a template of 13 parts is a rope of
  // as many strings, and a buffer read back as text a native call, for each event's datetime. The
  // date's digits stay from the call before when the day is the same (a file's events come in time
  // order, thousands a day).
  const date = ISO_DATE;
  if (days !== isoDays) writeDate(date, days);
  isoDays = days;
  const tenth = Math.floor(milli / 10);
  // biome-ignore format: the date, the time, the milliseconds, one a line
  return String.fromCharCode(
    date[0] as number, date[1] as number, date[2] as number, date[3] as number, DASH,
    date[5] as number, date[6] as number, DASH, date[8] as number, date[9] as number, 0x54, // T
    tens(h), ones(h), COLON, tens(mi), ones(mi), COLON, tens(s), ones(s), 0x2e, // .
    tens(tenth), ones(tenth), ones(milli), 0x5a, // Z
  );
}

const DASH = 0x2d;
const COLON = 0x3a;
/** The codes of the digits of a number's tens and of its ones. */
const tens = (n: number): number => 0x30 + (Math.floor(n / 10) % 10);
const ones = (n: number): number => 0x30 + (n % 10);

/** Days since 1970-01-01 → proleptic Gregorian year, month, day (H. Hinnant's civil_from_days). */
function writeDate(text: Uint8Array, days: number): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  digits(text, 0, y, 4);
  digits(text, 5, m, 2);
  digits(text, 8, d, 2);
}

/** The day whose date ISO_DATE holds. */
let isoDays = Number.NaN;

/** `YYYY-MM-DD` as character codes, written when isoUtc's day changes. */
const ISO_DATE = Uint8Array.from("0000-00-00", (c) => c.charCodeAt(0));

function digits(text: Uint8Array, at: number, value: number, width: number): void {
  let v = value;
  for (let i = at + width - 1; i >= at; i--) {
    text[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
}

/** True when the text has the shape the default (iso) rules read, real or not. */
export function looksLikeDatetime(text: string): boolean {
  return DATETIME.test(text);
}

/** True when luxon (and so Intl) knows the IANA time zone name. */
export function isValidZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Milliseconds since the epoch of a wall-clock time read as UTC; works for years 0–99 too. */
export function wallClockMs(
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

export interface OffsetLookup {
  /** The offset (minutes) at an instant. */
  readonly at: (ts: number) => number;
  /** The offset over a whole UTC day (days since the epoch), or NaN when it changes that day. */
  readonly ofDay: (day: number) => number;
}

/**
 * The offset (minutes) of a zone at an instant. Luxon asks Intl, which costs microseconds, so the
 * offset is cached per UTC day when it is the same at both ends of the day (a day holding a
 * transition is always asked exactly).
 */
export function offsetLookup(zoneName: string): OffsetLookup {
  const zone = IANAZone.create(zoneName);
  const perDay = new Map<number, number>();
  const ofDay = (day: number) => {
    let offset = perDay.get(day);
    if (offset === undefined) {
      const start = zone.offset(day * DAY);
      offset = start === zone.offset(day * DAY + DAY - 1) ? start : Number.NaN;
      if (perDay.size >= 100_000) perDay.clear();
      perDay.set(day, offset);
    }
    return offset;
  };
  const at = (ts: number) => {
    const offset = ofDay(Math.floor(ts / DAY));
    return Number.isNaN(offset) ? zone.offset(ts) : offset;
  };
  return { at, ofDay };
}

export type LocalToUtc = (wallMs: number) => number | "gap" | "ambiguous";

/** Reads a wall-clock time in a zone; a time skipped or repeated by a DST change is not guessed. */
export function localToUtc(zoneName: string): LocalToUtc {
  const { at: offsetAt, ofDay } = offsetLookup(zoneName);
  const exact: LocalToUtc = (wall) => {
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
  // Per UTC day of the wall-clock reading: the zone's offset when it keeps it over the day before,
  // that day and the day after; NaN otherwise. An offset is under a day (±18 h at most), so then
  // `exact` would find `before`, `after` and the offset at `wall - offset` all equal to it: the
  // answer is `wall - offset`, with three map lookups saved. Days near a clock change go to `exact`.
  const steady = new Map<number, number>();
  return (wall) => {
    const day = Math.floor(wall / DAY);
    let offset = steady.get(day);
    if (offset === undefined) {
      const middle = ofDay(day);
      offset = ofDay(day - 1) === middle && ofDay(day + 1) === middle ? middle : Number.NaN;
      if (steady.size >= 100_000) steady.clear();
      steady.set(day, offset);
    }
    return Number.isNaN(offset) ? exact(wall) : wall - offset * MINUTE;
  };
}

const MAX_OFFSET_MINUTES = 18 * 60;

function parseOffset(text: string): number | undefined {
  if (text === "Z" || text === "z") return 0;
  const sign = text[0] === "-" ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2)) : 0;
  // ±18:00 is the widest offset there is (java.time, the API's side, allows no more).
  if (m > 59 || h * 60 + m > MAX_OFFSET_MINUTES) return undefined;
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
      const read = readLocal(text, wall, toUtc, zoneName);
      if (read instanceof Invalid) return read;
      utc = read;
    }
    return datetimeOf(text, utc);
  };
}

/** The instant of a wall-clock time in a zone; a time a clock change skips or repeats is invalid. */
export function readLocal(
  text: string,
  wall: number,
  toUtc: LocalToUtc,
  zoneName: string,
): number | Invalid {
  const read = toUtc(wall);
  if (read === "gap") {
    return new Invalid(`${show(text)} does not exist in ${zoneName} (skipped by a clock change)`);
  }
  if (read === "ambiguous") {
    return new Invalid(
      `${show(text)} happens twice in ${zoneName} (clock change); write it with an offset`,
    );
  }
  return read;
}

/** DFINERY's Datetime text of an instant, or invalid outside years 0100–9999. */
export function datetimeOf(text: unknown, utc: number): string | Invalid {
  if (utc < FIRST_MS || utc >= END_MS) {
    return new Invalid(`${show(text)} is out of the Datetime range`);
  }
  return isoUtc(utc);
}

/** A Datetime from a cell: text only (epoch numbers are not guessed as seconds or milliseconds). */
export function makeDatetimeConverter(zoneName: string): (value: unknown) => string | Invalid {
  const parse = makeDatetimeParser(zoneName);
  return (value) =>
    typeof value === "string"
      ? parse(value)
      : new Invalid(`${show(value)} is not a Datetime (${DATETIME_EXPECTED})`);
}
