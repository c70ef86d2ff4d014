/**
 * JSON written as UTF-8 straight into a reusable byte buffer, with no string made of the whole.
 * `JsonBytes` holds the steps every writer shares (a string as JSON.stringify writes it, a number,
 * raw ASCII); canonical-json.ts writes canonical JSON with them (sorted keys, for hashing), and
 * `jsonBytes` here the text JSON.stringify gives of plain data (a request body: its keys in
 * their own order).
 *
 * Why bytes: an events request body as a string cost JSON.stringify's pieces and their flattened
 * copy, ~340 bytes an event of young garbage, then undici's `Buffer.from` of it, ~200 more: a third
 * of a delivered event's allocations, which the young collections follow.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const encoder = new TextEncoder();

export const WRITTEN = 0;
export const LEFT_OUT = 1;
export const OTHER = 2;
export type Scalar = typeof WRITTEN | typeof LEFT_OUT | typeof OTHER;

/**
 * Keys as written (`"name":`), by name, in a table of a fixed size (32 KiB, allocated once): an
 * object's keys are the same few names again and again (a request's events, an event id's
 * properties), and a name's bytes copied cost less than its characters checked one by one.
 */
const KEY_SLOTS = 256;
const KEY_MASK = KEY_SLOTS - 1;
/** Bytes a slot holds; a longer key is written each time. */
const KEY_BYTES = 128;
const keyNames = new Array<string | undefined>(KEY_SLOTS).fill(undefined);
const keyLengths = new Uint8Array(KEY_SLOTS);
const keyBytes = new Uint8Array(KEY_SLOTS * KEY_BYTES);
/** The same bytes, read four at a time (a slot's bytes are copied a word at a time). */
const keyView = new DataView(keyBytes.buffer);

export class JsonBytes {
  /** The bytes written so far are `bytes[0, length)`; the buffer grows as needed. */
  bytes: Uint8Array;
  /** A view of `bytes`, to store four bytes at once (a key's, see `key`). */
  view: DataView;
  length = 0;

  constructor(size = 1024) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Appends text known to be ASCII. */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Appends a run of ASCII text known beforehand, four bytes at a time. */
  run(run: AsciiRun): void {
    const n = run.length;
    this.reserve(n + 3);
    const view = this.view;
    const words = run.words;
    const at = this.length;
    // The last word's bytes past the run are written over by what follows.
    for (let i = 0; i < words.length; i++) view.setUint32(at + 4 * i, words[i] as number);
    this.length = at + n;
  }

  /** Appends one byte. */
  byte(code: number): void {
    this.reserve(1);
    this.bytes[this.length++] = code;
  }

  /**
   * Appends a string, number, boolean or null as JSON.stringify writes it: WRITTEN; LEFT_OUT
   * (nothing written) for what an object leaves out (undefined, a function, a symbol); OTHER
   * (nothing written) for an object or a bigint, which each writer writes its own way.
   */
  scalar(value: unknown): Scalar {
    switch (typeof value) {
      case "string":
        this.string(value);
        return WRITTEN;
      case "number":
        this.number(value);
        return WRITTEN;
      case "boolean":
        this.ascii(value ? "true" : "false");
        return WRITTEN;
      case "undefined":
      case "function":
      case "symbol":
        return LEFT_OUT;
    }
    if (value !== null) return OTHER;
    this.ascii("null");
    return WRITTEN;
  }

  /**
   * Appends an object's key and its colon, after a comma unless it is the first; where it began,
   * to be cut back to (`length = at`) when its value is left out.
   */
  key(name: string, first: boolean): number {
    const at = this.length;
    if (!first) this.byte(COMMA);
    const n = name.length;
    // Its slot: from its length and two of its characters (NaN & KEY_MASK is 0: the key "").
    const slot = (n * 7 + name.charCodeAt(n >> 1) + (name.charCodeAt(n - 1) << 2)) & KEY_MASK;
    const from = slot * KEY_BYTES;
    if (keyNames[slot] === name) {
      // Copied a word at a time (a byte at a time was ~1.5 ns a byte: ~110 bytes an event of a
      // body's keys); the last word's bytes past the key are written over by what follows.
      const m = keyLengths[slot] as number;
      this.reserve(m + 3);
      const view = this.view;
      const to = this.length;
      for (let i = 0; i < m; i += 4) view.setUint32(to + i, keyView.getUint32(from + i));
      this.length = to + m;
      return at;
    }
    const start = this.length;
    this.string(name);
    this.byte(0x3a);
    const m = this.length - start;
    if (m <= KEY_BYTES) {
      keyNames[slot] = name;
      keyLengths[slot] = m;
      keyBytes.set(this.bytes.subarray(start, this.length), from);
    }
    return at;
  }

  /** Appends a number as JSON.stringify writes it (a non-finite one as null). */
  number(value: number): void {
    if ((value | 0) === value) this.integer(value);
    else this.ascii(Number.isFinite(value) ? String(value) : "null");
  }

  /**
   * Appends a 32-bit integer's digits (-0 as `0`, as String writes it): no string made of it (a
   * number's text is a string of its own, made and copied, ~40 ns).
   */
  integer(value: number): void {
    this.reserve(11);
    const bytes = this.bytes;
    let at = this.length;
    let left = value;
    if (left < 0) {
      bytes[at++] = 0x2d;
      left = -left; // 2^31 at most: its tenths below are 32-bit still
    }
    let digits = 1;
    for (let rest = left; rest >= 10; rest = (rest / 10) | 0) digits++;
    at += digits;
    this.length = at;
    do {
      const tenth = (left / 10) | 0;
      bytes[--at] = 0x30 + left - tenth * 10;
      left = tenth;
    } while (left > 0);
  }

  /** A JSON string: printable ASCII without `"` or `\` as is, anything else as JSON.stringify writes it. */
  string(text: string): void {
    const n = text.length;
    this.reserve(n + 2);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) {
        this.text(JSON.stringify(text));
        return;
      }
      bytes[at++] = code;
    }
    bytes[at++] = QUOTE;
    this.length = at;
  }

  /** Appends any text as UTF-8 (a lone surrogate as U+FFFD; JSON text has none: JSON.stringify escapes them). */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.length += encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** Makes room for `more` bytes after the written ones. */
  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/**
 * ASCII text known when a module loads (a body's fixed keys, `,"event_name":`), kept as words: `run`
 * writes it four bytes at a time.
 */
export class AsciiRun {
  readonly length: number;
  /** Its bytes four at a time, each word as DataView's `getUint32` reads it (big-endian). */
  readonly words: Uint32Array;

  constructor(text: string) {
    this.length = text.length;
    const padded = new Uint8Array((text.length + 3) & ~3);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) throw new Error(`not ASCII: ${JSON.stringify(text)}`);
      padded[i] = code;
    }
    const view = new DataView(padded.buffer);
    this.words = Uint32Array.from({ length: padded.length / 4 }, (_, i) => view.getUint32(i * 4));
  }
}

/**
 * A request body that the client sends as `jsonBytes` writes it. Its own enumerable properties
 * are its JSON, as for a plain object (so `JSON.stringify` and `stringifyExactly` give the same
 * text: a sample, a dry run's output), whichever way `write` writes their bytes.
 */
export abstract class BytesBody {
  /**
   * Writes the text JSON.stringify gives of it: its own properties as a plain object's. A body
   * that knows its shape writes it faster (the events body). Throws for what only JSON.stringify
   * writes (writeJson).
   */
  write(writer: JsonBytes): void {
    writeObject(writer, this as unknown as Record<string, unknown>);
  }
}

/** What `jsonBytes` leaves to JSON.stringify: anything but plain data. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

/** Buffers past this size are let go once written from (one very large body keeps none). */
const KEPT_SIZE = 1 << 20;
let shared = new JsonBytes(64 * 1024);

/**
 * The UTF-8 bytes of `JSON.stringify(value)` for plain data: strings, finite or non-finite
 * numbers, booleans, null, arrays, and objects whose prototype is Object's or null (or a
 * BytesBody), with no `toJSON`. Undefined for anything else (an ExactNumber, a Date, a bigint, a
 * Map, a class's instance, a nesting too deep for the stack): the caller then stringifies as
 * before. The bytes are a copy of their own.
 */
export function jsonBytes(value: unknown): Uint8Array | undefined {
  // What a plain object inherits is asked once, not for each object: nothing enumerable (for…in
  // would list it, JSON.stringify not), no toJSON.
  for (const _ in PLAIN) return undefined;
  if (typeof PLAIN.toJSON === "function" || typeof ARRAY.toJSON === "function") return undefined;
  const writer = shared;
  writer.length = 0;
  try {
    if (!writeJson(writer, value)) return undefined; // undefined at the top: no JSON text
  } catch {
    return undefined;
  }
  const bytes = writer.bytes.slice(0, writer.length);
  if (writer.bytes.length > KEPT_SIZE) shared = new JsonBytes(64 * 1024);
  return bytes;
}

const PLAIN: Record<string, unknown> = {};
const ARRAY: unknown[] & { toJSON?: unknown } = [];

/**
 * Writes `value` as JSON.stringify writes plain data (a BytesBody as it writes itself); false
 * (nothing written) for what an object leaves out. Throws for anything but plain data.
 */
export function writeJson(writer: JsonBytes, value: unknown): boolean {
  const scalar = writer.scalar(value);
  if (scalar !== OTHER) return scalar === WRITTEN;
  if (typeof value === "bigint") throw NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.hasOwn(value, "toJSON")) throw NOT_PLAIN;
    writer.byte(0x5b);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writer.byte(COMMA);
      if (!writeJson(writer, value[i])) writer.ascii("null");
    }
    writer.byte(0x5d);
    return true;
  }
  const object = value as Record<string, unknown>;
  const proto = Object.getPrototypeOf(object);
  if (proto === Object.prototype || proto === null) {
    writeObject(writer, object);
    return true;
  }
  // A body's own class: as it writes itself (a class's methods are not enumerable).
  if (!(object instanceof BytesBody) || typeof object.toJSON === "function") throw NOT_PLAIN;
  object.write(writer);
  return true;
}

/** Writes a plain object's own enumerable properties, in their order. */
function writeObject(writer: JsonBytes, object: Record<string, unknown>): void {
  writer.byte(0x7b);
  let first = true;
  for (const key in object) {
    const start = writer.key(key, first);
    const field = object[key];
    if (writeJson(writer, field)) first = false;
    else if (key === "toJSON" && typeof field === "function") throw NOT_PLAIN;
    else writer.length = start; // left out, as JSON.stringify leaves it out
  }
  writer.byte(0x7d);
}
