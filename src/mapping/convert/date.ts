import { isRealDate } from "../../api/value-types.js";
import { Invalid, show } from "./invalid.js";

// yyyy-MM-dd, yyyy/MM/dd, yyyy.MM.dd (month and day may have one digit), or yyyyMMdd.
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export const DATE_EXPECTED =
  "expected a date such as 2024-03-01, 2024/03/01, 2024.03.01 or 20240301";

const pad = (s: string): string => (s.length === 1 ? `0${s}` : s);

/** A Date (`yyyy-MM-dd`) from trimmed text; days that do not exist (2024-02-30) are invalid. */
export function parseDate(text: string): string | Invalid {
  const m = SEPARATED.exec(text) ?? COMPACT.exec(text);
  if (m === null) return new Invalid(`${show(text)} is not a Date (${DATE_EXPECTED})`);
  const [y, mo, d] = m.length === 5 ? [m[1], m[3], m[4]] : [m[1], m[2], m[3]];
  const date = `${y}-${pad(mo ?? "")}-${pad(d ?? "")}`;
  if (!isRealDate(date)) return new Invalid(`${show(text)} is not a real day`);
  return date;
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
