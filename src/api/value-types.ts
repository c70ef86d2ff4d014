import { DATE_PATTERN, DATETIME_PATTERN, type PropertyType } from "./dfinery.js";

/** True when `yyyy-MM-dd` names a day that exists (2024-02-29 yes, 2023-02-29 no). */
export function isRealDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
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

const isLong = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v);
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
