/**
 * JSON numbers that a JavaScript number cannot hold: a 64-bit id beyond 2^53, more digits than a
 * double keeps, a magnitude beyond its range. Read with lossless-json and kept as written, so that
 * an id keeps its digits, a Long goes out exactly as the file wrote it, and a dead letter shows the
 * value the user can find in the file.
 */
import { isSafeNumber, stringify as losslessStringify, parse } from "lossless-json";
import { parseFlatLine } from "./flat-json.js";
import { markUnsafeNumbers, NUMBER_MARK } from "./unsafe-numbers.js";

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
 * JSON.parse, except that numbers JSON.parse would round or overflow come back as ExactNumber.
 *
 * A flat object of short strings and small numbers (an event export's line) is read by
 * parseFlatLine (flat-json.ts), to the object JSON.parse would give; any other text as
 * parseUnflatJson reads it.
 */
export function parseJson(text: string): unknown {
  return parseFlatLine(text) ?? parseUnflatJson(text);
}

/**
 * parseJson for a text parseFlatLine was given and did not read (the NDJSON reader's whole lines,
 * tried in place): not tried again. A text with no number of 16 or more digits and no 3-digit
 * exponent is JSON.parse's after one regular-expression match. Otherwise each number token that a
 * double cannot hold is quoted with a mark (`"~exact~12345678901234567890"`, unsafe-numbers.ts),
 * JSON.parse reads the result and the marked strings become ExactNumbers. Where that cannot be
 * sure (a string of the data that may read as a mark; text that is not a JSON number; a mark a
 * repeated key dropped), the line is read by lossless-json instead. Either way nothing is rounded.
 */
export function parseUnflatJson(text: string): unknown {
  const quoted = markUnsafeNumbers(text);
  if (quoted === "none") return JSON.parse(text);
  if (quoted === "lossless") return losslessParse(text);
  let value: unknown;
  try {
    value = JSON.parse(quoted.text);
  } catch {
    return losslessParse(text);
  }
  // Every mark must be found: a repeated key may have dropped one (then lossless-json says so).
  const left = { marks: quoted.marked };
  const revived = reviveMarks(value, left);
  return left.marks === 0 ? revived : losslessParse(text);
}

function losslessParse(text: string): unknown {
  return parse(text, null, exactNumber);
}

/**
 * Marked strings → ExactNumber, in place, until all are found: no string of the data starts
 * with a mark (markUnsafeNumbers sends such a text to lossless-json).
 */
function reviveMarks(value: unknown, left: { marks: number }): unknown {
  if (typeof value === "string") {
    if (!value.startsWith(NUMBER_MARK)) return value;
    left.marks--;
    return new ExactNumber(value.slice(NUMBER_MARK.length));
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && left.marks > 0; i++) {
      value[i] = reviveMarks(value[i], left);
    }
  } else {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      if (left.marks === 0) break;
      const before = object[key];
      const after = reviveMarks(before, left);
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
