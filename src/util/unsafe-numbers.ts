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
 *  - a character other than a quote or a digit (`{`, `:`, `,`, `-`, `.`, the letters of `true`),
 *  - a whole string, except one that starts with `~` or `\u007e` (it may read as a mark once
 *    parsed),
 *  - a run of digits and dots shorter than 16 characters (a dot may join digits: at most 15
 *    digits, which a double always holds) not followed by an exponent of three digits, with its
 *    exponent if it has one.
 * So it stops at a run of 16 or more digits and dots outside strings, at digits before a 3-digit
 * exponent, at one of those strings, or at a string that never closes; at the end of a text with
 * none. In valid JSON an exponent follows digits, so none is skipped; a text that is not valid
 * JSON is refused by JSON.parse whatever is marked. The string alternative is unrolled
 * (`[^"\\]*` between escapes): linear, no backtracking. Native regular-expression code walks a
 * line about three times faster than a loop over charCodeAt (~1 ns a character).
 */
const HARMLESS =
  /(?:[^"\d]|"(?!~|\\u007[eE])[^"\\]*(?:\\[\s\S][^"\\]*)*"|(?![\d.]{16})[\d.]+(?![eE][+-]?\d{3})(?:[eE][+-]?\d+)?)*/y;

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
    // Inside a run of 16 digits and dots, or of digits before a 3-digit exponent: its token.
    let start = i;
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start--;
    const safety = tokenSafety(text, start);
    i = tokenEnd;
    if (safety === SAFE) continue;
    if (safety === NOT_A_NUMBER) return "lossless";
    out += text.slice(copied, start) + OPEN_MARK + text.slice(start, i) + CLOSE_MARK;
    copied = i;
    marked++;
  }
  if (marked === 0) return "none";
  return spelled ? "lossless" : { text: out + text.slice(copied), marked };
}

const OPEN_MARK = `"${NUMBER_MARK}`;
const CLOSE_MARK = '"';

const SAFE = 0;
const UNSAFE = 1;
const NOT_A_NUMBER = 2;

/** Where the token tokenSafety last looked at ends (one result more, without an object a call). */
let tokenEnd = 0;

/**
 * Whether a double holds the number token from `start` (lossless-json's isSafeNumber), or whether
 * it is no JSON number; sets tokenEnd. An integer (the 64-bit id of nearly every line that gets
 * here) is judged by its digits, in the same pass that finds its end, without a regular
 * expression or a parse.
 */
function tokenSafety(text: string, start: number): number {
  const first = text.charCodeAt(start) === MINUS ? start + 1 : start;
  let integer = true;
  let end = first;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (isDigit(code)) continue;
    if (!isNumberChar(code)) break;
    integer = false;
  }
  tokenEnd = end;
  if (integer) {
    const digits = end - first;
    if (digits === 0 || (digits > 1 && text.charCodeAt(first) === ZERO)) return NOT_A_NUMBER;
    if (digits !== MAX_SAFE.length) return digits < MAX_SAFE.length ? SAFE : UNSAFE;
    return text.slice(first, end) <= MAX_SAFE ? SAFE : UNSAFE; // equal lengths: as numbers
  }
  if (!mayLose(text, start, end)) return SAFE;
  const token = text.slice(start, end);
  // The shortest text of its double, as JSON.stringify writes one (a third: 16 or 17 digits): a
  // JSON number that holds it, unless it is an integer past 2^53 (what isSafeNumber says too,
  // after two regular expressions and a parse).
  const value = Number(token);
  if (String(value) === token) {
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? UNSAFE : SAFE;
  }
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
