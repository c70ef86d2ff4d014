/**
 * Finding the number tokens of a JSON text that a double cannot hold, so that parseJson
 * (exact-number.ts) can quote them before JSON.parse reads the text.
 */
import { isSafeNumber } from "lossless-json";

/**
 * Begins the string that stands for a marked number. Its first character, `~`, is written in
 * JSON as `~` or `\u007e`: a string of the data that could read as a mark starts so.
 */
export const NUMBER_MARK = "~exact~";

/** The text with every unsafe number token quoted and marked, and how many were marked. */
export interface MarkedText {
  readonly text: string;
  /** At least one. */
  readonly marked: number;
}

/**
 * What markUnsafeNumbers found: nothing to mark (the text is JSON.parse's as it is), the marked
 * text, or "lossless" where marking cannot be sure and lossless-json must read the text: a token
 * that may lose digits and is no JSON number (lossless-json names the error), or unsafe tokens
 * beside a string of the data that may read as a mark once parsed (it starts with `~`).
 */
export type Marking = "none" | MarkedText | "lossless";

/**
 * The longest start of a text (from `lastIndex`) that holds no number token a double may not
 * hold. It takes, as often as they come:
 *  - runs of characters other than quotes, digits and `e`/`E` (`{`, `:`, `,`, `-`, `.`, `tru`),
 *  - an `e`/`E` not followed by an optional sign and three digits (`true`, `1e10`),
 *  - whole strings, except those that start with `~` or `\u007e` (one may read as a mark once
 *    parsed),
 *  - runs of digits and dots of up to 15 characters (a dot may join digits: up to 15 digits, and
 *    a double holds every such number).
 * So it stops at a run of 16 or more digits and dots outside strings, at a 3-digit exponent, at
 * one of those strings, or at a string that never closes; at the end of a text with none. Its
 * string alternative is unrolled (`[^"\\]*` between escapes): linear, no backtracking. Native
 * regular-expression code walks a line about three times faster than a loop over charCodeAt.
 */
const HARMLESS =
  /(?:[^"\deE]+|[eE](?![+-]?\d{3})|"(?!~|\\u007[eE])[^"\\]*(?:\\[\s\S][^"\\]*)*"|(?![\d.]{16})[\d.]+)*/y;

/**
 * `text` with every number token outside strings that a double cannot hold quoted and marked
 * (`12345678901234567890` → `"<mark>12345678901234567890"`).
 *
 * Only a token with 16 or more digits in a row (a '.' may join two of them) or a 3-digit exponent
 * can lose anything; HARMLESS skips everything else in native code, so a line without such a
 * token costs one regular-expression match, and a line with a 64-bit id one match on each side
 * of it.
 */
export function markUnsafeNumbers(text: string): Marking {
  let out = "";
  let copied = 0;
  let marked = 0;
  let spelled = false;
  const length = text.length;
  for (let i = 0; ; ) {
    HARMLESS.lastIndex = i;
    HARMLESS.test(text);
    i = HARMLESS.lastIndex;
    if (i >= length) break;
    if (text.charCodeAt(i) === QUOTE) {
      // A string that may read as a mark, or one that never closes (JSON.parse will say so).
      spelled = true;
      i = stringEnd(text, i);
      continue;
    }
    // At a run of 16 digits and dots or at an exponent's `e`: the token around it.
    let start = i;
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start--;
    i = runEnd(text, i);
    const safety = tokenSafety(text, start, i);
    if (safety === SAFE) continue;
    if (safety === NOT_A_NUMBER) return "lossless";
    out += `${text.slice(copied, start)}"${NUMBER_MARK}${text.slice(start, i)}"`;
    copied = i;
    marked++;
  }
  if (marked === 0) return "none";
  return spelled ? "lossless" : { text: out + text.slice(copied), marked };
}

const SAFE = 0;
const UNSAFE = 1;
const NOT_A_NUMBER = 2;

/**
 * Whether a double holds the number token from `start` to `end` (lossless-json's isSafeNumber),
 * or whether it is no JSON number. An integer (the 64-bit id of nearly every line that gets here)
 * is judged by its digits, without a slice, a regular expression or a parse.
 */
function tokenSafety(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start) === MINUS ? start + 1 : start;
  let i = first;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === end) {
    const digits = end - first;
    if (digits === 0 || (digits > 1 && text.charCodeAt(first) === ZERO)) return NOT_A_NUMBER;
    if (digits !== MAX_SAFE.length) return digits < MAX_SAFE.length ? SAFE : UNSAFE;
    for (let k = 0; k < digits; k++) {
      const difference = text.charCodeAt(first + k) - MAX_SAFE.charCodeAt(k);
      if (difference !== 0) return difference < 0 ? SAFE : UNSAFE;
    }
    return SAFE; // 2^53 - 1 itself
  }
  if (!mayLose(text, start, end)) return SAFE;
  const token = text.slice(start, end);
  if (!JSON_NUMBER.test(token)) return NOT_A_NUMBER;
  return isSafeNumber(token) ? SAFE : UNSAFE;
}

/** A JSON number, whole. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** 2^53 - 1, the largest integer a double holds with all below it. */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/**
 * Where the string whose opening quote is at `open` ends (past its closing quote), or the text's
 * length for a string that never closes (the text is not JSON: JSON.parse will say so).
 */
function stringEnd(text: string, open: number): number {
  for (let from = open + 1; ; ) {
    const close = text.indexOf('"', from);
    if (close === -1) return text.length;
    let before = close - 1;
    while (before > open && text.charCodeAt(before) === BACKSLASH) before--;
    if ((close - 1 - before) % 2 === 0) return close + 1; // not escaped: an even run of `\`
    from = close + 1;
  }
}

/**
 * Whether the token from `start` to `end` holds 16 digits in a row (a '.' right after a digit
 * joins the digits on both sides: 1234.5678 is 8 digits) or an `e`/`E`, an optional sign and
 * three digits. Up to 15 significant digits and an exponent under 100 a double always holds.
 */
function mayLose(text: string, start: number, end: number): boolean {
  let digits = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (++digits === 16) return true;
    } else if (code === DOT) {
      if (digits === 0 || !isDigit(text.charCodeAt(i - 1))) digits = 0;
    } else if (code === LOWER_E || code === UPPER_E) {
      digits = 0;
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === PLUS || sign === MINUS) j++;
      if (isDigit(text.charCodeAt(j)) && isDigit(text.charCodeAt(j + 1))) {
        if (isDigit(text.charCodeAt(j + 2))) return true;
      }
    } else digits = 0; // + or -
  }
  return false;
}

/** The end of the run of number characters from `start`. */
function runEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && isNumberChar(text.charCodeAt(i))) i++;
  return i;
}

const QUOTE = 0x22;
const ZERO = 0x30;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** 0-9 . + - e E */
function isNumberChar(code: number): boolean {
  return (
    isDigit(code) ||
    code === DOT ||
    code === PLUS ||
    code === MINUS ||
    code === LOWER_E ||
    code === UPPER_E
  );
}
