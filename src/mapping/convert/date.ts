import { Invalid, show } from "./invalid.js";

// yyyy-MM-dd, yyyy/MM/dd, yyyy.MM.dd (month and day may have one digit), or yyyyMMdd.
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export const DATE_EXPECTED =
  "expected a date such as 2024-03-01, 2024/03/01, 2024.03.01 or 20240301";

const pad = (s: string): string => (s.length === 1 ? `0${s}` : s);

/**
 * A Date (`yyyy-MM-dd`) from trimmed text; days that do not exist (2024-02-30) are invalid. The
 * check is value-types' `isRealDate` in numbers, years 0000–0099 included: a JS Date reads them
 * as 19xx, so `isRealDate` (and so the API check) never takes them.
 */
export function parseDate(text: string): string | Invalid {
  const separated = SEPARATED.exec(text);
  const m = separated ?? COMPACT.exec(text);
  if (m === null) return new Invalid(`${show(text)} is not a Date (${DATE_EXPECTED})`);
  const y = m[1] as string;
  const mo = (separated === null ? m[2] : m[3]) as string;
  const d = (separated === null ? m[3] : m[4]) as string;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return new Invalid(`${show(text)} is not a real day`);
  }
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** A Date from a cell: only text (a JSON number such as 20240301 is not read as a date). */
export function toDate(value: unknown): string | Invalid {
  if (typeof value === "string") return parseDate(value);
  return new Invalid(`${show(value)} is not a Date (${DATE_EXPECTED})`);
}

/** Days in a month of the proleptic Gregorian calendar; month is 1-based. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
