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
const PREFIX = 32;

/**
 * Row keys of one run: SHA-256 of a secret prefix and the row's text. The prefix is an HMAC of
 * the run's context under the state key, so the file holds no row in clear, a guess cannot be
 * checked without the key, and a row read under another mapping, importer or runtime has
 * another key (it is mapped, and the payload's own hash decides). One SHA-256 a row, not an
 * HMAC's two: a secret prefix is a sound keyed hash for naming rows (what SHA-256's length
 * extension allows, forging a tag, is of no use against a file of names).
 */
export class RowKeys {
  #buffer: Buffer;

  constructor(stateKey: Buffer, context: RowContext) {
    const runtime = { node: process.version, ...pick(process.versions, ["icu", "tz", "unicode"]) };
    const text = JSON.stringify(["dfinery-import row key 1", context, version(), runtime]);
    this.#buffer = Buffer.alloc(PREFIX + 1024);
    createHmac("sha256", stateKey).update(text).digest().copy(this.#buffer);
  }

  /** The key of a row's cells read in `format`; undefined for cells the key cannot name. */
  of(cells: Readonly<Record<string, unknown>>, format: string): string | undefined {
    const text = rowText(cells, format);
    if (text === undefined) return undefined;
    const most = PREFIX + text.length * 3; // UTF-8: at most 3 bytes a UTF-16 unit
    if (most > this.#buffer.length) {
      const grown = Buffer.alloc(most * 2);
      this.#buffer.copy(grown, 0, 0, PREFIX);
      this.#buffer = grown;
    }
    const length = this.#buffer.write(text, PREFIX, "utf8");
    const digest = hash("sha256", this.#buffer.subarray(0, PREFIX + length), "base64url");
    return digest.slice(0, KEY_CHARS);
  }
}

function pick(from: NodeJS.ProcessVersions, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, from[name]]));
}

/**
 * A text that tells apart every two rows a mapping could tell apart. A CSV row of texts (the
 * common case) is its JSON (keys in order: JSON.stringify is one-to-one on such objects). Any
 * other row is tagged value by value: a text, a lossless number (its digits), a -0, a Date and an
 * absent value each spell themselves apart, so that no two of them share a text. Undefined for a
 * value of any other kind (a Map, a class) and for a row nested too deeply to write: such a row
 * is always mapped.
 */
export function rowText(
  cells: Readonly<Record<string, unknown>>,
  format: string,
): string | undefined {
  let plain = true;
  for (const key in cells) {
    const value = cells[key];
    if (typeof value !== "string" && value !== null) {
      plain = false;
      break;
    }
  }
  try {
    return plain
      ? `${format} ${JSON.stringify(cells)}`
      : `${format}:${JSON.stringify(cells, tagged)}`;
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
