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

/** True when the text has the shape the default (iso) rules read, real or not. */
export function looksLikeDate(text: string): boolean {
  return SEPARATED.test(text) || COMPACT.test(text);
}

/** A Date from a cell: only text (a JSON number such as 20240301 is not read as a date). */
export function toDate(value: unknown): string | Invalid {
  if (typeof value === "string") return parseDate(value);
  return new Invalid(`${show(value)} is not a Date (${DATE_EXPECTED})`);
}
