/**
 * The common NDJSON line read without JSON.parse: a flat object of short strings, numbers a double
 * holds, true, false and null (an event export's line: `{"user":"u0","at":1704067200000,...}`).
 *
 * JSON.parse internalizes every string value of up to 10 characters: a look-up in V8's string
 * table, which a file's distinct values (an order id an event) grow past the caches, ~0.15 µs a
 * value. Read here, such a value is a copy of its characters, and a line's keys are the strings
 * of the line before when they are the same: the bench's line is read in ~0.35 µs, against
 * ~0.8 µs for parseJson's regular-expression check and JSON.parse (micro-benchmark).
 *
 * Anything else gives undefined and the line goes to parseJson's way, which reads it as before:
 * a nested value, an escape, a string of 13 characters or more (its slice would be a view that
 * holds the file's whole chunk of text alive as long as the value lives), a number of 16 digits
 * or more or with a 3-digit exponent (which a double may not hold), `__proto__`, text that is not
 * JSON. So a line read here is one JSON.parse reads to the same object, and one in which
 * markUnsafeNumbers finds nothing to mark.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const NEWLINE = 0x0a;

/** A string value this long or longer is a view of its text when sliced: not read here. */
const MAX_STRING = 12;
/** Up to 15 digits a double always holds (as an integer: below 2^53, summed exactly). */
const MAX_DIGITS = 15;
/** Keys kept by place, for the next line's same keys (a file's lines have a few dozen). */
const MAX_KEYS = 64;

/** The keys of the last lines, by place: the next line's same key is this string, not a new one. */
const keys: string[] = [];

/**
 * The object of a flat JSON line, as JSON.parse reads it; undefined for any other line. The line
 * is `text` from `start` to `end`, which is the text's end or a line break (a line in place in a
 * chunk of a file: no string of its own made); nothing is read past a line break, which is no
 * space here (a line with one is JSON.parse's). One function, its loops written out: helpers
 * called for each value and space were not inlined (V8's budget), a call each cost ~20 % of a
 * line (micro-benchmark).
 */
export function parseFlatObject(
  text: string,
  start = 0,
  end = text.length,
): Record<string, unknown> | undefined {
  if (end !== text.length && text.charCodeAt(end) !== NEWLINE) return undefined;
  let i = start;
  let code = text.charCodeAt(i);
  while (isSpace(code)) code = text.charCodeAt(++i);
  if (code !== OPEN) return undefined;
  const object: Record<string, unknown> = {};
  code = text.charCodeAt(++i);
  while (isSpace(code)) code = text.charCodeAt(++i);
  if (code === CLOSE) return isEnd(text, i + 1, end) ? object : undefined;
  for (let place = 0; ; place++) {
    // The key.
    if (code !== QUOTE) return undefined;
    const keyStart = i + 1;
    i = keyStart;
    for (code = text.charCodeAt(i); code !== QUOTE; code = text.charCodeAt(++i)) {
      if (!isPlain(code)) return undefined; // NaN past the end too
    }
    const key = keyOf(text, keyStart, i, place);
    if (key === undefined) return undefined;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
    if (code !== COLON) return undefined;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
    // Its value: i goes past it.
    const valueStart = i;
    let value: unknown;
    if (code === QUOTE) {
      for (code = text.charCodeAt(++i); code !== QUOTE; code = text.charCodeAt(++i)) {
        if (!isPlain(code)) return undefined;
      }
      if (i - valueStart - 1 > MAX_STRING) return undefined;
      value = text.slice(valueStart + 1, i);
      code = text.charCodeAt(++i);
    } else if (isDigit(code) || code === MINUS) {
      if (code === MINUS) code = text.charCodeAt(++i);
      const first = i;
      let whole = 0;
      if (code === ZERO) code = text.charCodeAt(++i);
      else {
        if (!isDigit(code)) return undefined;
        for (; isDigit(code); code = text.charCodeAt(++i)) whole = whole * 10 + (code - ZERO);
      }
      if (code === DOT || code === LOWER_E || code === UPPER_E) {
        i = decimalEnd(text, first, i);
        if (i === -1) return undefined;
        value = Number(text.slice(valueStart, i));
        code = text.charCodeAt(i);
      } else {
        if (i - first > MAX_DIGITS) return undefined;
        value = first === valueStart ? whole : -whole;
      }
    } else {
      const literal =
        code === 0x74 ? "true" : code === 0x66 ? "false" : code === 0x6e ? "null" : "";
      if (literal === "" || !text.startsWith(literal, i)) return undefined;
      value = code === 0x6e ? null : code === 0x74;
      i += literal.length;
      code = text.charCodeAt(i);
    }
    object[key] = value;
    while (isSpace(code)) code = text.charCodeAt(++i);
    if (code === CLOSE) return isEnd(text, i + 1, end) ? object : undefined;
    if (code !== COMMA) return undefined;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
  }
}

/**
 * Where a number with a fraction or an exponent ends, its integer part's digits from `first` to
 * `at`; -1 when it is no JSON number, or one a double may not hold (16 digits or more, a '.'
 * joining them; an exponent of 3 digits or more).
 */
function decimalEnd(text: string, first: number, at: number): number {
  let i = at;
  let digits = i - first;
  let code = text.charCodeAt(i);
  if (code === DOT) {
    const fraction = i + 1;
    for (code = text.charCodeAt(++i); isDigit(code); code = text.charCodeAt(++i));
    if (i === fraction) return -1;
    digits += i - fraction;
  }
  if (digits > MAX_DIGITS) return -1;
  if (code === LOWER_E || code === UPPER_E) {
    code = text.charCodeAt(++i);
    if (code === PLUS || code === MINUS) code = text.charCodeAt(++i);
    const exponent = i;
    for (; isDigit(code); code = text.charCodeAt(++i));
    if (i === exponent || i - exponent > 2) return -1;
  }
  return i;
}

/** The key from `start` to `end`: the string of the last line's key at this place if the same. */
function keyOf(text: string, start: number, end: number, place: number): string | undefined {
  const known = keys[place];
  if (known !== undefined && known.length === end - start && text.startsWith(known, start)) {
    return known;
  }
  const key = text.slice(start, end);
  // JSON.parse makes it an own key; an assignment would set the object's prototype.
  if (key === "__proto__") return undefined;
  // A long key's slice is a view of the chunk of text: the one kept is a copy (it has no escape).
  if (place < MAX_KEYS) keys[place] = key.length > MAX_STRING ? JSON.parse(`"${key}"`) : key;
  return key;
}

/** Whether only spaces follow `from`, to `end`. */
function isEnd(text: string, from: number, end: number): boolean {
  let i = from;
  while (isSpace(text.charCodeAt(i))) i++;
  return i === end;
}

/** A character a string may hold unescaped, other than its quote: no backslash, no control. */
const isPlain = (code: number): boolean => code >= 0x20 && code !== BACKSLASH;
/** JSON's spaces but a line break (a text with one goes to JSON.parse). */
const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0d;
const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;
