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

  constructor(stateKey: Buffer, context: RowContext) {
    const runtime = { node: process.version, ...pick(process.versions, ["icu", "tz", "unicode"]) };
    const text = JSON.stringify(["dfinery-import row key 2", context, version(), runtime]);
    this.#prefix = createHmac("sha256", stateKey).update(text).digest("base64url");
  }

  /** The key of a row's cells read in `format`; undefined for cells the key cannot name. */
  of(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    return keyOfRow(this.#prefix, cells, format);
  }

  /**
   * The secret prefix, for a worker thread of this run keying the same rows (`keyOfRow`): passed
   * in memory only, never logged nor written.
   */
  get prefix(): string {
    return this.#prefix;
  }
}

/** RowKeys.of under the secret `prefix` (a worker thread's keys: diff-worker.ts). */
export function keyOfRow(
  prefix: string,
  cells: Readonly<Record<string, unknown>>,
  format: string,
): string | undefined {
  const text = rowText(cells, format, prefix); // written after the prefix: one flat string
  return text === undefined ? undefined : keyOfText(text);
}

/**
 * The key of a row whose text, prefix included, was written in `rowText`'s plain form by another
 * hand (run/known-lines.ts, from a CSV line); undefined when the text is not well-formed, which
 * `rowText` would have written in its tagged form.
 */
export function rowKeyOfText(text: string): string | undefined {
  return wellFormed(text) ? keyOfText(text) : undefined;
}

const keyOfText = (text: string): string => hash("sha256", text, "base64url").slice(0, KEY_CHARS);

function pick(from: NodeJS.ProcessVersions, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, from[name]]));
}

/**
 * A text that tells apart every two rows a mapping could tell apart. A row of texts (CSV, the
 * common case) is spelled cell by cell, each name and text after its length (`2:id2:u1`, a NULL
 * as `-` after its name): cheaper than its JSON, and as one-to-one. Any other row, or one with a
 * lone surrogate (UTF-8, what is hashed, cannot tell one from another), is its JSON tagged value
 * by value: a text, a lossless number (its digits), a -0, a Date and an absent value each spell
 * themselves apart, so that no two of them share a text. The two forms differ after the format
 * (an identifier). Undefined for a value of any other kind (a Map, a class) and for a row nested
 * too deeply to write: such a row is always mapped. `prefix` (well-formed) is written first.
 */
export function rowText(
  cells: Readonly<Record<string, unknown>>,
  format: string,
  prefix = "",
): string | undefined {
  let text = `${prefix}${format} `;
  for (const key in cells) {
    const value = cells[key];
    if (typeof value === "string") text += `${key.length}:${key}${value.length}:${value}`;
    else if (value === null) text += `${key.length}:${key}-`;
    else return taggedText(cells, format, prefix);
  }
  return wellFormed(text) ? text : taggedText(cells, format, prefix);
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
