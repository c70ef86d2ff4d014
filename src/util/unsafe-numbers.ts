/**
 * Finding, in one pass over a JSON text, the number tokens a double cannot hold, so that parseJson
 * (exact-number.ts) can quote them before JSON.parse reads the text.
 */
import { isSafeNumber } from "lossless-json";

/** The text with every unsafe number token quoted and marked; what the pass found. */
export interface MarkedText {
  readonly text: string;
  /** How many tokens were marked. */
  readonly marked: number;
  /**
   * Whether a string of the text may read as a mark once parsed: its first character is `~` or a
   * `\u` escape. Then every string must be looked at to tell the data from the marks.
   */
  readonly spelled: boolean;
}

/** A JSON number, whole. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * `text` with every number token outside strings that a double cannot hold quoted and marked
 * (`12345678901234567890` → `"<mark>12345678901234567890"`); undefined when such a token is not a
 * JSON number (the caller reads the text with a stricter parser, which names the error).
 *
 * Only a token with 16 or more digits in a row (a '.' may join two of them) or a 3-digit exponent
 * can lose anything (mayLoseDigits); only those are checked. Strings are skipped to their closing
 * quote (`indexOf`), so the digits of text, ids in strings, dates, are never looked at one by one.
 */
export function markUnsafeNumbers(text: string, mark: string): MarkedText | undefined {
  let out = "";
  let copied = 0;
  let marked = 0;
  let spelled = false;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const first = text.charCodeAt(i + 1);
      if (first === TILDE || (first === BACKSLASH && text.charCodeAt(i + 2) === LOWER_U)) {
        spelled = true;
      }
      i = stringEnd(text, i);
      continue;
    }
    if (!isNumberChar(code)) {
      i++;
      continue;
    }
    const start = i;
    const may = mayLose(text, start);
    i = runEnd(text, start);
    if (!may) continue;
    const token = text.slice(start, i);
    if (!JSON_NUMBER.test(token)) return undefined;
    if (isSafe(token)) continue;
    out += `${text.slice(copied, start)}"${mark}${token}"`;
    copied = i;
    marked++;
  }
  return { text: marked === 0 ? text : out + text.slice(copied), marked, spelled };
}

/** 2^53 - 1, the largest integer a double holds with all below it. */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/**
 * lossless-json's isSafeNumber for a JSON number token; an integer (the 64-bit id of nearly every
 * line that gets here) by its digits alone, without a regular expression and a parse.
 */
function isSafe(token: string): boolean {
  const sign = token.charCodeAt(0) === MINUS ? 1 : 0;
  for (let i = sign; i < token.length; i++) {
    if (!isDigit(token.charCodeAt(i))) return isSafeNumber(token);
  }
  const digits = token.length - sign;
  if (digits !== MAX_SAFE.length) return digits < MAX_SAFE.length;
  return (sign === 0 ? token : token.slice(1)) <= MAX_SAFE; // equal lengths: compared as numbers
}

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
 * Whether the run of number characters from `start` holds 16 digits in a row (a '.' right after a
 * digit joins the digits on both sides: 1234.5678 is 8 digits) or an `e`/`E`, an optional sign
 * and three digits.
 */
function mayLose(text: string, start: number): boolean {
  let digits = 0;
  for (let i = start; i < text.length; i++) {
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
    } else if (code === PLUS || code === MINUS) digits = 0;
    else return false;
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
const BACKSLASH = 0x5c;
const TILDE = 0x7e;
const LOWER_U = 0x75;
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
