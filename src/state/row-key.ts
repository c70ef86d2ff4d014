/**
 * The keyed hash of a row as read, before any mapping: what lets a nightly `--state` run know a
 * row unchanged without mapping it (identities.ts `heldBy`). Two rows get the same key only when
 * the mapping cannot tell them apart: the same cells, in the same order, of the same JS types,
 * read in the same format, mapped by the same mapping with the same importer on the same runtime
 * (its time-zone and Unicode data). The mapping reads nothing else (no clock, no environment: a
 * mapping is a function of its row), so such rows map to the same identity and properties.
 */
import { createHmac, hash } from "node:crypto";
import { ExactNumber } from "../util/exact-number.js";
import { version } from "../util/version.js";

/** What decides a row's mapping besides its cells (the format is in each row's own text). */
export interface RowContext {
  /** The command (a state file belongs to one). */
  readonly command: string;
  /** The normalized mapping's fingerprint (fingerprint.ts). */
  readonly mapping: string;
  /**
   * The CSV/TSV delimiter the run reads with (`,` for other formats): a row's texts are written
   * with it between them (`RowTexts`), so that a plain line of the file is its row's text as it is.
   */
  readonly delimiter: string;
}

/** Characters of base64url kept of the SHA-256: 132 bits. */
const KEY_CHARS = 22;

/**
 * Row keys of one run: SHA-256 of a secret prefix and the row's text. The prefix is an HMAC of
 * the run's context under the state key, so the file holds no row in clear, a guess cannot be
 * checked without the key, and a row read under another mapping, importer or runtime has
 * another key (it is mapped, and the payload's own hash decides). One SHA-256 a row, not an
 * HMAC's two: a secret prefix is a sound keyed hash for naming rows (what SHA-256's length
 * extension allows, forging a tag, is of no use against a file of names). The prefix is text
 * (the HMAC's base64url) and the row's text is appended to it: one `crypto.hash` of one string,
 * no buffer written a row.
 */
export class RowKeys {
  readonly #prefix: string;
  readonly #texts: RowTexts;

  constructor(stateKey: Buffer, context: RowContext) {
    const runtime = { node: process.version, ...pick(process.versions, ["icu", "tz", "unicode"]) };
    const text = JSON.stringify(["dfinery-import row key 3", context, version(), runtime]);
    this.#prefix = createHmac("sha256", stateKey).update(text).digest("base64url");
    this.#texts = new RowTexts(this.#prefix, context.delimiter);
  }

  /** The delimiter the keys write a row's texts with. */
  get delimiter(): string {
    return this.#texts.delimiter;
  }

  /** The key of a row's cells read in `format`; undefined for cells the key cannot name. */
  of(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    return this.#texts.key(cells, format);
  }

  /**
   * The secret prefix, for a worker thread of this run keying the same rows (`RowTexts`): passed
   * in memory only, never logged nor written.
   */
  get prefix(): string {
    return this.#prefix;
  }
}

/**
 * The key of a row's text as `RowTexts` writes it (prefix included), written by another hand
 * (run/known-lines.ts: a CSV line is its row's text); undefined when the text is not
 * well-formed, which `RowTexts` would have written in its tagged form.
 */
export function rowKeyOfText(text: string): string | undefined {
  return wellFormed(text) ? keyOfText(text) : undefined;
}

/**
 * The SHA-256 of a row's text as `RowTexts` writes it, a char a byte ("binary": latin1), for a
 * reader of the key's bits (known-rows.ts `slotsOfDigests`): the key (`rowKeyOfText`) is the
 * base64url of these bytes, cut to KEY_CHARS chars. The same hash of the same text: only its
 * bytes are not written as base64url (and read back from it), ~0.1 µs a row less. Undefined as
 * `rowKeyOfText`.
 */
export function rowDigestOfText(text: string): string | undefined {
  return wellFormed(text) ? hash("sha256", text, "binary") : undefined;
}

/** The key of a text `RowTexts.of` wrote. */
const keyOfText = (text: string): string => hash("sha256", text, "base64url").slice(0, KEY_CHARS);

function pick(from: NodeJS.ProcessVersions, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, from[name]]));
}

/**
 * A text that tells apart every two rows a mapping could tell apart, after a secret `prefix`. A
 * row of texts (CSV, the common case) is its format, its names' JSON, each on a line of its own,
 * and its texts as canonical CSV with the run's delimiter: a text is written as it is unless it
 * holds a quote, a CR, a LF, a backslash or a character of the delimiter, then it is quoted (its
 * quotes doubled); a NULL is `\N`. Canonical CSV is one-to-one (every text it writes reads back to
 * one list), and a plain line of the file (tokenizer.ts: no quote, CR or escape, split at the
 * delimiter) with no backslash is its own texts written so: the diff worker keys it as it is,
 * after `head` (known-lines.ts). Any other row, or one with a lone surrogate (UTF-8, what is
 * hashed, cannot tell one from another), is its JSON tagged value by value: a text, a lossless
 * number (its digits), a -0, a Date and an absent value each spell themselves apart. The two
 * forms differ after the format (an identifier): a line feed, a colon. Undefined for a value of
 * any other kind (a Map, a class) and for a row nested too deeply to write: such a row is
 * always mapped. One a thread: it keeps the head of the last names it wrote.
 */
export class RowTexts {
  readonly #prefix: string;
  /** A text that must be quoted. */
  readonly #special: RegExp;
  /** The last row's names and format, and the head they make. */
  #names: string[] = [];
  #format = "";
  #head = "";

  constructor(prefix: string, delimiter: string) {
    this.#prefix = prefix;
    this.delimiter = delimiter;
    const chars = [...new Set(`"\r\n\\${delimiter}`)];
    this.#special = new RegExp(`[${chars.map(escapeInClass).join("")}]`);
  }

  /** The delimiter between a row's texts. */
  readonly delimiter: string;

  /** What comes before the texts of a row of `names` read in `format`. */
  head(format: string, names: readonly string[]): string {
    return `${this.#prefix}${format}\n${JSON.stringify(names)}\n`;
  }

  /** The key of a row's cells (its text's hash); undefined for cells no text can name. */
  key(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    const text = this.of(cells, format);
    return text === undefined ? undefined : keyOfText(text);
  }

  of(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    const names = this.#names;
    let same = format === this.#format;
    let count = 0;
    let texts = "";
    for (const name in cells) {
      const value = cells[name];
      if (count > 0) texts += this.delimiter;
      if (typeof value === "string") {
        texts += this.#special.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
      } else if (value === null) {
        texts += "\\N";
      } else {
        return taggedText(cells, format, this.#prefix);
      }
      if (same && names[count] !== name) same = false;
      count++;
    }
    if (!same || count !== names.length) {
      const all: string[] = [];
      for (const name in cells) all.push(name);
      this.#names = all;
      this.#format = format;
      this.#head = this.head(format, this.#names);
    }
    const text = this.#head + texts;
    return wellFormed(text) ? text : taggedText(cells, format, this.#prefix);
  }
}

/** `text` as a regular expression's class character. */
const escapeInClass = (char: string): string =>
  /[\\\]^-]/.test(char) ? `\\${char}` : char === "\r" ? "\\r" : char === "\n" ? "\\n" : char;

/** RowTexts' text of `cells`, under a prefix and delimiter (a row's alone: tests and tools). */
export function rowText(
  cells: Readonly<Record<string, unknown>>,
  format: string,
  prefix = "",
  delimiter = ",",
): string | undefined {
  return new RowTexts(prefix, delimiter).of(cells, format);
}

/** ES2024's String.prototype.isWellFormed, no lone surrogate (Node 20 has it; the lib here is ES2023). */
const wellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

function taggedText(
  cells: Readonly<Record<string, unknown>>,
  format: string,
  prefix: string,
): string | undefined {
  try {
    return `${prefix}${format}:${JSON.stringify(cells, tagged)}`;
  } catch (error) {
    // A value it cannot name, or a row nested too deeply to write: such a row is always mapped.
    if (error === UNNAMED || error instanceof RangeError) return undefined;
    throw error;
  }
}

const UNNAMED = new Error("a value a row key cannot name");

/** JSON.stringify's replacer for `rowText`: `this[key]` is the value before any toJSON. */
function tagged(this: Record<string, unknown>, key: string, _json: unknown): unknown {
  const value = this[key];
  switch (typeof value) {
    case "string":
      return `s${value}`;
    case "number":
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return Object.is(value, -0) ? "n-0" : `n${value}`; // JSON would write 0 and null
    case "boolean":
      return value;
    case "undefined":
      return "u";
    case "bigint":
      return `b${value}`;
    case "object":
      if (value === null || Array.isArray(value)) return value;
      if (value instanceof ExactNumber) return `x${value.text}`;
      if (value instanceof Date) return `d${value.getTime()}`;
      if (isPlain(value)) return value;
  }
  throw UNNAMED;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
