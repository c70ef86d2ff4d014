/**
 * JSON numbers that a JavaScript number cannot hold: a 64-bit id beyond 2^53, more digits than a
 * double keeps, a magnitude beyond its range. Read with lossless-json and kept as written, so that
 * an id keeps its digits, a Long goes out exactly as the file wrote it, and a dead letter shows the
 * value the user can find in the file.
 */
import { isSafeNumber, stringify as losslessStringify, parse } from "lossless-json";
import { markUnsafeNumbers } from "./unsafe-numbers.js";

/** Set when JSON.stringify writes an ExactNumber (its toJSON runs): stringifyExactly's check. */
let exactWritten = false;

export class ExactNumber {
  constructor(
    /** The number as written in the JSON text: `12345678901234567890`. */
    readonly text: string,
  ) {}

  /** In JSON written by JSON.stringify (dead letters, logs), a string of the digits as written. */
  toJSON(): string {
    exactWritten = true;
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/**
 * Whether the text holds a number that may lose anything as a double: 16 or more digits in a row
 * (a '.' may join two of them: `12345678901234.5678`, `9.007199254740993e15`) or a 3-digit
 * exponent. Up to 15 significant digits and an exponent under 100 a double always holds exactly.
 * A loop over the characters, about twice as fast as the regular expression
 * `\d(?:\.?\d){15}|[eE][+-]?\d{3}` (which has no literal to look for) on every line of an NDJSON
 * file; digits inside strings count too (this is only the quick test).
 */
export function mayLoseDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (++digits === 16) return true;
      continue;
    }
    // A '.' right after a digit joins the digits on both sides: 1234.5678 is 8 digits.
    if (code === 46 && digits > 0 && isDigit(text.charCodeAt(i - 1))) continue;
    digits = 0;
    if (code === 101 || code === 69) {
      // e or E, an optional sign, three digits
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (isDigit(text.charCodeAt(j)) && isDigit(text.charCodeAt(j + 1))) {
        if (isDigit(text.charCodeAt(j + 2))) return true;
      }
    }
  }
  return false;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Marks a number quoted by parseJson. Quotes put inside a string would leave the mark outside any
 * string, which JSON.parse refuses.
 */
const NUMBER_MARK = "~exact~";

/**
 * JSON.parse, except that numbers JSON.parse would round or overflow come back as ExactNumber.
 *
 * The common line (no number of 16 or more digits, no 3-digit exponent) is JSON.parse's.
 * Otherwise each number token that a double cannot hold is quoted with a mark
 * (`"~exact~12345678901234567890"`, unsafe-numbers.ts), JSON.parse reads the result and the marked
 * strings become ExactNumbers. Where that cannot be sure (a mark already in the data; text that is
 * not a JSON number), the line is read by lossless-json instead. Either way nothing is rounded.
 */
export function parseJson(text: string): unknown {
  if (!mayLoseDigits(text)) return JSON.parse(text);
  const quoted = markUnsafeNumbers(text, NUMBER_MARK);
  if (quoted === undefined) return losslessParse(text);
  if (quoted.marked === 0) return JSON.parse(text);
  let value: unknown;
  try {
    value = JSON.parse(quoted.text);
  } catch {
    return losslessParse(text);
  }
  // A string of the data may read as a mark: then every string is looked at and any extra mark
  // sends the line to lossless-json. Otherwise the walk stops at the last mark.
  const found = { count: 0, stopAt: quoted.spelled ? Number.POSITIVE_INFINITY : quoted.marked };
  const revived = reviveMarks(value, found);
  return found.count === quoted.marked ? revived : losslessParse(text);
}

function losslessParse(text: string): unknown {
  return parse(text, null, exactNumber);
}

/** Marked strings → ExactNumber, in place; counts them. */
function reviveMarks(value: unknown, found: { count: number; stopAt: number }): unknown {
  if (typeof value === "string") {
    if (!value.startsWith(NUMBER_MARK)) return value;
    found.count++;
    return new ExactNumber(value.slice(NUMBER_MARK.length));
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && found.count < found.stopAt; i++) {
      value[i] = reviveMarks(value[i], found);
    }
  } else {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      if (found.count >= found.stopAt) break;
      const before = object[key];
      const after = reviveMarks(before, found);
      if (after === before) continue;
      // JSON.parse makes "__proto__" an own key; plain assignment would set the prototype.
      if (key === "__proto__") {
        Object.defineProperty(object, key, {
          value: after,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else object[key] = after;
    }
  }
  return value;
}

function exactNumber(text: string): number | ExactNumber {
  return isSafeNumber(text) ? Number(text) : new ExactNumber(text);
}

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Whether an integer written as text fits a 64-bit signed integer (DFINERY's Long). */
export function isInt64(text: string): boolean {
  if (!INTEGER.test(text)) return false;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** Whether text is an integer literal (no fraction, no exponent). */
export function isIntegerText(text: string): boolean {
  return INTEGER.test(text);
}

/** Writes an ExactNumber as the bare number it holds. */
const EXACT_WRITER = [
  { test: (v: unknown) => v instanceof ExactNumber, stringify: (v: unknown) => String(v) },
];

/**
 * JSON text in which every ExactNumber is written as the bare number it holds:
 * `{"id":12345678901234567890}` (request bodies, dead letters, samples). JSON.stringify has no way
 * to write a number it cannot hold, so a value that has one is written by lossless-json instead;
 * values without one cost JSON.stringify alone (no replacer: ExactNumber's toJSON raises a flag,
 * JSON.stringify being synchronous), the cost of every request body.
 */
export function stringifyExactly(value: unknown): string {
  exactWritten = false;
  const text = JSON.stringify(value);
  if (!exactWritten) return text;
  return losslessStringify(value, undefined, undefined, EXACT_WRITER) ?? text;
}

/** Whether stringifyExactly can write the value (not when it is nested too deeply for the stack). */
export function canStringify(value: unknown): boolean {
  try {
    stringifyExactly(value);
    return true;
  } catch {
    return false;
  }
}
