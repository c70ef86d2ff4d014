/**
 * The common NDJSON line read without JSON.parse: a flat object of strings without escapes,
 * numbers a double holds, true, false and null (an event export's line:
 * `{"user":"u0","at":1704067200000,...}`).
 *
 * JSON.parse internalizes every string value of up to 10 characters: a look-up in V8's string
 * table, which a file's distinct values (an order id an event) grow past the caches, ~0.15 µs a
 * value. Read here, such a value is a copy of its characters, and a line's keys are the strings
 * of the line before when they are the same: the bench's line is read in ~0.3 µs, against
 * ~0.8 µs for parseJson's regular-expression check and JSON.parse (micro-benchmark).
 *
 * Anything else gives undefined and the line goes to parseJson's way, which reads it as before:
 * a nested value, an escape, a number of 16 digits or more or with a 3-digit exponent (which a
 * double may not hold), `__proto__`, text that is not JSON. So a line read here is one JSON.parse
 * reads to the same object, and one in which markUnsafeNumbers finds nothing to mark.
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

/** A string value longer than this, sliced, is a view of the whole text: it is copied. */
const MAX_SLICED = 12;
/** Up to 15 digits a double always holds (as an integer: below 2^53, summed exactly). */
const MAX_DIGITS = 15;
/** Keys kept by place, for the next line's same keys (a file's lines have a few dozen). */
const MAX_KEYS = 64;
/** A line of more members is JSON.parse's. */
const MAX_MEMBERS = 256;

/** The keys of the last lines, by place: the next line's same key is this string, not a new one. */
const keys: string[] = [];

/** What a member's value is, as the scan found it. */
const STRING = 0;
const INTEGER = 1;
const DECIMAL = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;

/**
 * The members the scan of a line found, by place: where the key starts and ends (its quotes
 * excluded), where the value starts and ends (a string's quotes excluded), what it is, and an
 * integer's value. Reused: a line that is not read here allocates nothing.
 */
const spans = new Int32Array(4 * MAX_MEMBERS);
const kinds = new Uint8Array(MAX_MEMBERS);
const integers = new Float64Array(MAX_MEMBERS);

/**
 * parseFlatObject for lines read one after another (a file's): after a line it does not read, the
 * next SKIPPED give undefined untried. A file's lines are alike, and a file of nested lines
 * (items, GA4's event_params) would pay a scan a line for nothing (~0.2 µs for a flat start
 * before a nested value at its end, micro-benchmark); a file of flat lines among others reads
 * most of them JSON.parse's way then, as fast as before.
 */
export function parseFlatLine(
  text: string,
  start = 0,
  end = text.length,
): Record<string, unknown> | undefined {
  if (skipped > 0) {
    skipped--;
    return undefined;
  }
  const object = parseFlatObject(text, start, end);
  if (object === undefined) skipped = SKIPPED;
  return object;
}

const SKIPPED = 64;
/** Lines left to give undefined untried. */
let skipped = 0;

/**
 * The object of a flat JSON line, as JSON.parse reads it; undefined for any other line. The line
 * is `text` from `start` to `end`, which is the text's end or a line break (a line in place in a
 * chunk of a file: no string of its own made); nothing is read past a line break, which is no
 * space here (a line with one is JSON.parse's). The line is scanned whole before anything is
 * made, so one that is not read here (a nested value at its end) costs the scan alone.
 */
export function parseFlatObject(
  text: string,
  start = 0,
  end = text.length,
): Record<string, unknown> | undefined {
  if (end !== text.length && text.charCodeAt(end) !== NEWLINE) return undefined;
  const members = scan(text, start, end);
  if (members === -1) return undefined;
  const object: Record<string, unknown> = {};
  for (let m = 0; m < members; m++) {
    const at = 4 * m;
    const key = keyOf(text, spans[at] as number, spans[at + 1] as number, m);
    if (key === undefined) return undefined;
    const from = spans[at + 2] as number;
    const to = spans[at + 3] as number;
    switch (kinds[m]) {
      case STRING:
        object[key] = to - from > MAX_SLICED ? copy(text, from, to) : text.slice(from, to);
        break;
      case INTEGER:
        object[key] = small(integers[m] as number);
        break;
      case DECIMAL:
        object[key] = Number(text.slice(from, to));
        break;
      default:
        object[key] = kinds[m] === NULL ? null : kinds[m] === TRUE;
    }
  }
  return object;
}

/**
 * The line's members into `spans`, `kinds` and `integers`: how many, or -1 for a line that is
 * not read here. One function, its loops written out: helpers called for each value and space
 * were not inlined (V8's budget), a call each cost ~20 % of a line (micro-benchmark).
 */
function scan(text: string, start: number, end: number): number {
  let i = start;
  let code = text.charCodeAt(i);
  while (isSpace(code)) code = text.charCodeAt(++i);
  if (code !== OPEN) return -1;
  code = text.charCodeAt(++i);
  while (isSpace(code)) code = text.charCodeAt(++i);
  if (code === CLOSE) return isEnd(text, i + 1, end) ? 0 : -1;
  for (let m = 0; m < MAX_MEMBERS; m++) {
    const at = 4 * m;
    // The key.
    if (code !== QUOTE) return -1;
    spans[at] = i + 1;
    for (code = text.charCodeAt(++i); code !== QUOTE; code = text.charCodeAt(++i)) {
      if (!isPlain(code)) return -1; // NaN past the end too
    }
    spans[at + 1] = i;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
    if (code !== COLON) return -1;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
    // Its value.
    const valueStart = i;
    if (code === QUOTE) {
      spans[at + 2] = i + 1;
      for (code = text.charCodeAt(++i); code !== QUOTE; code = text.charCodeAt(++i)) {
        if (!isPlain(code)) return -1;
      }
      spans[at + 3] = i;
      kinds[m] = STRING;
      code = text.charCodeAt(++i);
    } else if (isDigit(code) || code === MINUS) {
      if (code === MINUS) code = text.charCodeAt(++i);
      const first = i;
      let whole = 0;
      if (code === ZERO) code = text.charCodeAt(++i);
      else {
        if (!isDigit(code)) return -1;
        for (; isDigit(code); code = text.charCodeAt(++i)) whole = whole * 10 + (code - ZERO);
      }
      if (code === DOT || code === LOWER_E || code === UPPER_E) {
        i = decimalEnd(text, first, i);
        if (i === -1) return -1;
        kinds[m] = DECIMAL;
        code = text.charCodeAt(i);
      } else {
        if (i - first > MAX_DIGITS) return -1;
        kinds[m] = INTEGER;
        integers[m] = first === valueStart ? whole : -whole;
      }
      spans[at + 2] = valueStart;
      spans[at + 3] = i;
    } else {
      const literal =
        code === 0x74 ? "true" : code === 0x66 ? "false" : code === 0x6e ? "null" : "";
      if (literal === "" || !text.startsWith(literal, i)) return -1;
      kinds[m] = code === 0x6e ? NULL : code === 0x74 ? TRUE : FALSE;
      i += literal.length;
      code = text.charCodeAt(i);
    }
    while (isSpace(code)) code = text.charCodeAt(++i);
    if (code === CLOSE) return isEnd(text, i + 1, end) ? m + 1 : -1;
    if (code !== COMMA) return -1;
    code = text.charCodeAt(++i);
    while (isSpace(code)) code = text.charCodeAt(++i);
  }
  return -1;
}

/**
 * The characters from `from` to `to`, a string of their own: a slice that long is a view of the
 * text, which would keep a file's whole chunk alive as long as the value lives (an identity, an
 * event's property held for its request). Made as a string one longer, flattened by the slice
 * (~60 ns, JSON.parse of the quoted text ~85).
 */
function copy(text: string, from: number, to: number): string {
  return ` ${text.slice(from, to)}`.slice(1);
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

/**
 * An integer as a small integer when it is one (not -0): a Float64Array's element is read as a
 * heap number, and an object's field that was given one first keeps each of its numbers boxed
 * (16 bytes a value, and a box again for each read of it where the read is not inlined).
 */
const small = (n: number): number => ((n | 0) === n && (n !== 0 || 1 / n > 0) ? n | 0 : n);

/** The key from `start` to `end`: the string of the last line's key at this place if the same. */
function keyOf(text: string, start: number, end: number, place: number): string | undefined {
  const known = keys[place];
  if (known !== undefined && known.length === end - start && text.startsWith(known, start)) {
    return known;
  }
  const key = text.slice(start, end);
  // JSON.parse makes it an own key; an assignment would set the object's prototype.
  if (key === "__proto__") return undefined;
  // A long key's slice is a view of the text: the one kept is a copy.
  if (place < MAX_KEYS) keys[place] = key.length > MAX_SLICED ? copy(text, start, end) : key;
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
