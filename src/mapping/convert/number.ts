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
export function parseLong(text: string): number | Invalid {
  if (!INTEGER.test(text)) return new Invalid(`${show(text)} is not a Long (${LONG_EXPECTED})`);
  const n = Number(text.includes(",") ? text.replaceAll(",", "") : text);
  if (!Number.isSafeInteger(n)) {
    return new Invalid(
      `${show(text)} is beyond the exact range of a Long (±9,007,199,254,740,991)`,
    );
  }
  return n === 0 ? 0 : n; // no -0
}

/** A Double from text: a decimal number, with optional thousands separators and exponent. */
export function parseDouble(text: string): number | Invalid {
  if (!DECIMAL.test(text)) return new Invalid(`${show(text)} is not a Double (${DOUBLE_EXPECTED})`);
  const n = Number(text.includes(",") ? text.replaceAll(",", "") : text);
  if (!Number.isFinite(n)) return new Invalid(`${show(text)} is out of range for a Double`);
  return n === 0 ? 0 : n;
}

/** A Long from a cell: text as `parseLong`, a JSON number when it is a safe integer. */
export function toLong(value: unknown): number | Invalid {
  if (typeof value === "string") return parseLong(value);
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    return new Invalid(`${show(value)} is not a Long (${LONG_EXPECTED})`);
  }
  return new Invalid(`${show(value)} is not a Long (${LONG_EXPECTED})`);
}

/** A Double from a cell: text as `parseDouble`, a finite JSON number as is. */
export function toDouble(value: unknown): number | Invalid {
  if (typeof value === "string") return parseDouble(value);
  if (typeof value === "number" && Number.isFinite(value)) return value === 0 ? 0 : value;
  return new Invalid(`${show(value)} is not a Double (${DOUBLE_EXPECTED})`);
}
