/**
 * JSON numbers that a JavaScript number cannot hold: a 64-bit id beyond 2^53, more digits than a
 * double keeps, a magnitude beyond its range. Read with lossless-json and kept as written, so that
 * an id keeps its digits, a Long goes out exactly as the file wrote it, and a dead letter shows the
 * value the user can find in the file.
 */
import { isSafeNumber, parse } from "lossless-json";

export class ExactNumber {
  constructor(
    /** The number as written in the JSON text: `12345678901234567890`. */
    readonly text: string,
  ) {}

  /** In JSON written by JSON.stringify (dead letters, logs), a string of the digits as written. */
  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/** Only a number written with 16 or more digits in a row, or a 3-digit exponent, can lose anything. */
const MAY_LOSE = /\d{16}|[eE][+-]?\d{3}/;

/**
 * JSON.parse, except that numbers JSON.parse would round or overflow come back as ExactNumber.
 * The common line (no long digit run) takes the built-in parser; the rest lossless-json.
 */
export function parseJson(text: string): unknown {
  return MAY_LOSE.test(text) ? parse(text, null, exactNumber) : JSON.parse(text);
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

const MARK = "\u0000exact:";
const MARKED = /"\\u0000exact:(-?[0-9][0-9.eE+-]*)"/g;

/**
 * JSON text of a request body in which every ExactNumber is written as the bare number it holds:
 * `{"id":12345678901234567890}`. JSON.stringify has no way to write a number it cannot hold, so
 * they pass as marked strings and the marks are replaced; bodies without one cost one flag check.
 */
export function stringifyExactly(value: unknown): string {
  let marked = false;
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof ExactNumber) {
      marked = true;
      return `${MARK}${raw.text}`;
    }
    return v;
  });
  return marked ? text.replace(MARKED, "$1") : text;
}
