/**
 * A `format` pattern in luxon's `fromFormat` tokens (`yyyy-MM-dd a h:mm:ss`, `M/d/yyyy`), checked
 * and compiled once per mapping. The numeric tokens compile to one regular expression whose groups
 * are read without luxon (luxon's `fromFormat` builds its parser anew on every call, at ~20 µs a
 * cell); the others (month and weekday names, `z`…) are handed to luxon. Both read the same text
 * the same way (test/mapping/convert/format-pattern.test.ts compares them on random inputs), except
 * that an hour of the 12-hour clock must be 1–12 here.
 */
import { DateTime } from "luxon";
import { daysInMonth } from "../../api/value-types.js";

/** A date and time as written, and the offset (minutes) when the pattern reads one. */
export interface WallTime {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
  readonly offset: number | undefined;
}

/** The text does not have the pattern's shape. */
export const NO_MATCH: unique symbol = Symbol("no match");
/** The text has the pattern's shape, but names no real date or time (2/30/1990, 25:00). */
export const NOT_REAL: unique symbol = Symbol("not real");

export type PatternParser = (text: string) => WallTime | typeof NO_MATCH | typeof NOT_REAL;

interface Token {
  readonly literal: boolean;
  readonly val: string;
}

/** Luxon's tokenizer (Formatter.parseFormat): runs of one letter; '…' quotes literal text. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let current: string | null = null;
  let run = "";
  let quoted = false;
  for (const c of pattern) {
    if (c === "'") {
      if (run.length > 0 || quoted) {
        tokens.push({ literal: quoted || !/^[A-Za-z]+$/.test(run), val: run === "" ? "'" : run });
      }
      current = null;
      run = "";
      quoted = !quoted;
    } else if (quoted || c === current) {
      run += c;
    } else {
      if (run.length > 0) tokens.push({ literal: !/^[A-Za-z]+$/.test(run), val: run });
      run = c;
      current = c;
    }
  }
  if (run.length > 0) tokens.push({ literal: quoted || !/^[A-Za-z]+$/.test(run), val: run });
  return tokens;
}

type Field = "y" | "yy" | "M" | "d" | "H" | "h" | "m" | "s" | "S" | "u" | "a" | "Z";

/** Tokens read here, as luxon reads them: their regular expression and the field they set. */
const FAST: Readonly<Record<string, readonly [string, Field]>> = {
  y: ["(\\d{1,6})", "y"],
  yy: ["(\\d{2,4})", "yy"],
  yyyy: ["(\\d{4})", "y"],
  M: ["(\\d{1,2})", "M"],
  MM: ["(\\d{2})", "M"],
  L: ["(\\d{1,2})", "M"],
  LL: ["(\\d{2})", "M"],
  d: ["(\\d{1,2})", "d"],
  dd: ["(\\d{2})", "d"],
  H: ["(\\d{1,2})", "H"],
  HH: ["(\\d{2})", "H"],
  h: ["(\\d{1,2})", "h"],
  hh: ["(\\d{2})", "h"],
  m: ["(\\d{1,2})", "m"],
  mm: ["(\\d{2})", "m"],
  s: ["(\\d{1,2})", "s"],
  ss: ["(\\d{2})", "s"],
  S: ["(\\d{1,3})", "S"],
  SSS: ["(\\d{3})", "S"],
  u: ["(\\d{1,9})", "u"],
  a: ["(AM|PM|오전|오후)", "a"],
  Z: ["([+-]\\d{1,2})(?::(\\d{2}))?", "Z"],
  ZZ: ["([+-]\\d{1,2})(?::(\\d{2}))?", "Z"],
  ZZZ: ["([+-]\\d{1,2})(\\d{2})?", "Z"],
};

/** Luxon's other parsing tokens: read by luxon itself. */
const BY_LUXON = new Set(
  "G GG yyyyy yyyyyy MMM MMMM LLL LLLL o ooo q qq uu uuu kk kkkk W WW E c EEE EEEE ccc cccc z".split(
    " ",
  ),
);
/** Luxon's macro tokens: their meaning changes with the locale, so a pattern spells them out. */
const MACRO = /^(D{1,4}|t{1,4}|T{1,4}|f{1,4}|F{1,4})$/;

const MAX_OFFSET_MINUTES = 18 * 60;

/** What is wrong with a pattern, or undefined when it can be used. */
export function checkPattern(pattern: string): string | undefined {
  const tokens = tokenize(pattern).filter((t) => !t.literal);
  const letters = new Set<string>();
  for (const { val } of tokens) {
    if (MACRO.test(val)) {
      return `${val} is a macro token whose meaning depends on the locale; spell the pattern out (e.g. M/d/yyyy H:mm)`;
    }
    if (FAST[val] === undefined && !BY_LUXON.has(val)) {
      return `${val} is not a luxon token, and luxon would look for the letters "${val}" in every cell (years are yyyy, days d or dd, a fraction of a second u (or SSS for exactly three digits); quote literal text: 'T')`;
    }
    const letter = val[0] as string;
    if (letters.has(letter)) return `${letter} appears twice`;
    letters.add(letter);
  }
  const has = (...ls: string[]) => ls.some((l) => letters.has(l));
  if (!has("y") || !has("M", "L") || !has("d")) {
    return "a pattern needs the year (y), the month (M) and the day (d)";
  }
  if (has("a") && has("H")) return "a (AM/PM) goes with h (1–12), not with H (0–23)";
  if (has("h") && !has("a")) return "h is the 12-hour clock and needs a (AM/PM); use H for 0–23";
  if (has("a") && !has("h")) return "a (AM/PM) needs an hour h";
  if (has("m", "s", "S", "u") && !has("H", "h")) return "minutes or seconds without an hour (H)";
  return undefined;
}

/** True when the pattern reads an hour (a Date with such a pattern takes the local date). */
export function patternHasTime(pattern: string): boolean {
  return tokenize(pattern).some((t) => !t.literal && /^[Hh]/.test(t.val));
}

/** Compiles a pattern that `checkPattern` accepted. */
export function compilePattern(pattern: string): PatternParser {
  const tokens = tokenize(pattern);
  if (tokens.some((t) => !t.literal && FAST[t.val] === undefined)) return luxonParser(pattern);
  let source = "^";
  const fields: Field[] = [];
  for (const t of tokens) {
    const fast = t.literal ? undefined : FAST[t.val];
    if (fast === undefined) {
      source += t.val.replace(/[-[\]{}()*+?.,\\^$|#\s/]/g, "\\$&");
      continue;
    }
    source += fast[0];
    fields.push(fast[1]);
  }
  const regex = new RegExp(`${source}$`, "i");
  // Group numbers, 0 when the pattern lacks the field (m[0] is never read as a field then).
  const g = groups(fields);
  return (text) => {
    const m = regex.exec(text);
    if (m === null) return NO_MATCH;
    const y = g.yy > 0 ? untruncateYear(Number(m[g.yy])) : Number(m[g.y]);
    let h = g.H > 0 ? Number(m[g.H]) : 0;
    if (g.h > 0) {
      h = Number(m[g.h]);
      if (h < 1 || h > 12) return NOT_REAL;
      const meridiem = (m[g.a] as string).toLowerCase();
      const pm = meridiem === "pm" || meridiem === "오후";
      h = pm ? (h === 12 ? 12 : h + 12) : h === 12 ? 0 : h;
    }
    const ms =
      g.u > 0 ? Math.floor(Number.parseFloat(`0.${m[g.u]}`) * 1000) : g.S > 0 ? Number(m[g.S]) : 0;
    const mo = Number(m[g.M]);
    const d = Number(m[g.d]);
    const mi = g.m > 0 ? Number(m[g.m]) : 0;
    const s = g.s > 0 ? Number(m[g.s]) : 0;
    let offset: number | undefined;
    if (g.Z > 0) {
      const zm = m[g.Z + 1];
      offset = signedOffset(m[g.Z] as string, zm === undefined ? 0 : Number(zm));
      if (offset === undefined) return NOT_REAL;
    }
    const real =
      mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59;
    return real ? { y, mo, d, h, mi, s, ms, offset } : NOT_REAL;
  };
}

/** Each field's first group in the match (an offset has two). */
function groups(fields: readonly Field[]): Record<Field, number> {
  const out: Record<Field, number> = {
    y: 0,
    yy: 0,
    M: 0,
    d: 0,
    H: 0,
    h: 0,
    m: 0,
    s: 0,
    S: 0,
    u: 0,
    a: 0,
    Z: 0,
  };
  let group = 1;
  for (const field of fields) {
    out[field] = group;
    group += field === "Z" ? 2 : 1;
  }
  return out;
}

/** Luxon's rule for two-digit years (Settings.twoDigitCutoffYear = 60). */
function untruncateYear(year: number): number {
  if (year > 99) return year;
  return year > 60 ? 1900 + year : 2000 + year;
}

function signedOffset(hours: string, minutes: number): number | undefined {
  const h = Number(hours);
  if (minutes > 59) return undefined;
  const total = Math.abs(h) * 60 + minutes;
  if (total > MAX_OFFSET_MINUTES) return undefined;
  return hours.startsWith("-") ? -total : total;
}

/** The tokens read by luxon: English names; 오전/오후 read as AM/PM. */
function luxonParser(pattern: string): PatternParser {
  const zoned = tokenize(pattern).some((t) => !t.literal && /^[Zz]/.test(t.val));
  return (text) => {
    const english = text.replace("오전", "AM").replace("오후", "PM");
    const dt = DateTime.fromFormat(english, pattern, {
      zone: "UTC",
      locale: "en-US",
      setZone: true,
    });
    if (!dt.isValid) return dt.invalidReason === "unparsable" ? NO_MATCH : NOT_REAL;
    return {
      y: dt.year,
      mo: dt.month,
      d: dt.day,
      h: dt.hour,
      mi: dt.minute,
      s: dt.second,
      ms: dt.millisecond,
      offset: zoned ? dt.offset : undefined,
    };
  };
}
