import { ExactNumber, isInt64, isIntegerText } from "../../util/exact-number.js";
import { Invalid, show } from "./invalid.js";

// Digits, optionally grouped by thousands the way spreadsheets export them (1,555,144). With
// separators the first group has no leading zero: 0,500 is a decimal comma (one half), not 500.
const INTEGER = /^[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)$/;
const DECIMAL = /^[+-]?(?:(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const LONG_EXPECTED = "expected an integer such as 42, -5 or 1,555,144";
const DOUBLE_EXPECTED = "expected a number such as -1.5, 1,234.5 or 1e3";

/**
 * A Long from text: an integer with optional sign and thousands separators. A fraction, even
 * `12.0`, is invalid: the column is not what its type says, and we do not guess.
 */
export function parseLong(text: string): number | ExactNumber | Invalid {
  if (!INTEGER.test(text)) return new Invalid(`${show(text)} is not a Long (${LONG_EXPECTED})`);
  const digits = text.includes(",") ? text.replaceAll(",", "") : text;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return exactLong(digits.replace(/^\+/, ""), text);
  return n === 0 ? 0 : n; // no -0
}

/**
 * An integer beyond 2^53 is kept as its digits and sent exactly (a 64-bit id); one beyond a
 * 64-bit Long is invalid.
 */
function exactLong(digits: string, written: unknown): ExactNumber | Invalid {
  const canonical = digits.replace(/^(-?)0+(?=\d)/, "$1");
  if (isInt64(canonical)) return new ExactNumber(canonical);
  return new Invalid(`${show(written)} is beyond the range of a Long (±9,223,372,036,854,775,807)`);
}

/** A Double from text: a decimal number, with optional thousands separators and exponent. */
export function parseDouble(text: string): number | Invalid {
  if (!DECIMAL.test(text)) return new Invalid(`${show(text)} is not a Double (${DOUBLE_EXPECTED})`);
  const n = Number(text.includes(",") ? text.replaceAll(",", "") : text);
  if (!Number.isFinite(n)) return new Invalid(`${show(text)} is out of range for a Double`);
  return n === 0 ? 0 : n;
}

/** A Long from a cell: text as `parseLong`, a JSON number when it is a safe integer. */
export function toLong(value: unknown): number | ExactNumber | Invalid {
  if (typeof value === "string") return parseLong(value);
  if (value instanceof ExactNumber) {
    if (isIntegerText(value.text)) return exactLong(value.text, value);
    return new Invalid(`${show(value)} is not a Long (${LONG_EXPECTED})`);
  }
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    return new Invalid(`${show(value)} is not a Long (${LONG_EXPECTED})`);
  }
  return new Invalid(`${show(value)} is not a Long (${LONG_EXPECTED})`);
}

/** A Double from a cell: text as `parseDouble`, a finite JSON number as is. */
export function toDouble(value: unknown): number | Invalid {
  if (typeof value === "string") return parseDouble(value);
  if (value instanceof ExactNumber) return parseDouble(value.text); // rounded, as any Double
  if (typeof value === "number" && Number.isFinite(value)) return value === 0 ? 0 : value;
  return new Invalid(`${show(value)} is not a Double (${DOUBLE_EXPECTED})`);
}
