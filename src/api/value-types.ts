import { ExactNumber, isInt64 } from "../util/exact-number.js";
import { DATE_PATTERN, DATETIME_PATTERN, type PropertyType } from "./dfinery.js";

/** Days in a month of the proleptic Gregorian calendar; month is 1-based. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True when year, month and day name a day that exists (2024-02-29 yes, 2023-02-29 no). Years
 * 0000–0099 are not taken (a JS Date, and so most consumers of the API's dates, reads them as 19xx).
 */
export function isRealDay(year: number, month: number, day: number): boolean {
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True when `yyyy-MM-dd` names a day that exists (2024-02-29 yes, 2023-02-29 no). */
export function isRealDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  return isRealDay(y, m, d);
}

/** True when the text is a DFINERY Datetime (UTC, `Z`) naming an instant that exists. */
export function isRealDatetime(text: string): boolean {
  if (!DATETIME_PATTERN.test(text)) return false;
  if (!isRealDate(text.slice(0, 10))) return false;
  const hh = Number(text.slice(11, 13));
  const mm = Number(text.slice(14, 16));
  const ss = Number(text.slice(17, 19));
  return hh < 24 && mm < 60 && ss < 60;
}

const isLong = (v: unknown): boolean =>
  (typeof v === "number" && Number.isSafeInteger(v)) ||
  (v instanceof ExactNumber && isInt64(v.text));
const isDouble = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);

/**
 * Whether a JSON value has the API type `type`. Null conforms to every type: it clears a property.
 * Used by the emulator to judge requests and by the importer to check payloads it replays.
 */
export function conformsTo(type: PropertyType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case "String":
      return typeof value === "string";
    case "Long":
      return isLong(value);
    case "Double":
      return isDouble(value);
    case "Boolean":
      return typeof value === "boolean";
    case "Datetime":
      return typeof value === "string" && isRealDatetime(value);
    case "Date":
      return typeof value === "string" && isRealDate(value);
    case "Array of String":
      return Array.isArray(value) && value.every((e) => typeof e === "string");
    case "Array of Long":
      return Array.isArray(value) && value.every(isLong);
    case "Array of Double":
      return Array.isArray(value) && value.every(isDouble);
  }
}

/** Size of `user_properties` as the API counts it: the UTF-8 bytes of its JSON. */
export function propertiesByteLength(properties: unknown): number {
  return Buffer.byteLength(JSON.stringify(properties), "utf8");
}
