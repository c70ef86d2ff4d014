import { isRealDay } from "../../api/value-types.js";
import { Invalid, show } from "./invalid.js";

// yyyy-MM-dd, yyyy/MM/dd, yyyy.MM.dd (month and day may have one digit), or yyyyMMdd.
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export const DATE_EXPECTED =
  "expected a date such as 2024-03-01, 2024/03/01, 2024.03.01 or 20240301";

const pad = (s: string): string => (s.length === 1 ? `0${s}` : s);

/**
 * A Date (`yyyy-MM-dd`) from trimmed text; days that do not exist (2024-02-30) are invalid, by
 * the same check the API's type rules use (`isRealDay`).
 */
export function parseDate(text: string): string | Invalid {
  if (isDashed(text)) {
    // Already DFINERY's form: checked without a match object, returned as it is.
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    return isRealDay(year, month, day) ? text : new Invalid(`${show(text)} is not a real day`);
  }
  const separated = SEPARATED.exec(text);
  const m = separated ?? COMPACT.exec(text);
  if (m === null) return new Invalid(`${show(text)} is not a Date (${DATE_EXPECTED})`);
  const y = m[1] as string;
  const mo = (separated === null ? m[2] : m[3]) as string;
  const d = (separated === null ? m[3] : m[4]) as string;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (!isRealDay(year, month, day)) {
    return new Invalid(`${show(text)} is not a real day`);
  }
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** `yyyy-MM-dd` exactly, as most exports write a date. */
function isDashed(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) {
    return false;
  }
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const DASH = 0x2d;

/** The number written by `length` ASCII digits from `at`. */
function digitsAt(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** True when the text has the shape the default (iso) rules read, real or not. */
export function looksLikeDate(text: string): boolean {
  return SEPARATED.test(text) || COMPACT.test(text);
}

/** A Date from a cell: only text (a JSON number such as 20240301 is not read as a date). */
export function toDate(value: unknown): string | Invalid {
  if (typeof value === "string") return parseDate(value);
  return new Invalid(`${show(value)} is not a Date (${DATE_EXPECTED})`);
}
