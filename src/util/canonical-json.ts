/**
 * Canonical JSON: the same data always gives the same text, whatever the order its object keys
 * were written in. Object keys are sorted (UTF-16 code-unit order) at every depth; arrays keep
 * their order. Beyond JSON: a Map becomes its entries sorted by canonical key, a Set its members
 * sorted, a Date its ISO text, a bigint its digits; functions, symbols and undefined are left out
 * of objects as JSON.stringify leaves them out (a compiled mapping's functions are derived from
 * the data beside them, which is hashed). Non-finite numbers are written as null, as JSON does.
 *
 * One writer: the text is written as UTF-8 straight into a reusable byte buffer, which hot paths
 * hash where it lies (event ids: one per event, no string built); `canonicalJson` reads it back as
 * a string. Event ids and state keys are hashes of this text: it must never change.
 */

import { JsonBytes, OTHER, WRITTEN } from "./json-bytes.js";

/** Records up to this many bytes have their view kept (`written`). */
const VIEWS = 4096;
const COMMA = 0x2c;
const decoder = new TextDecoder();

/** The canonical JSON of `value` as a string. */
export function canonicalJson(value: unknown): string {
  // A writer of its own when the shared one is busy: a Map's or Set's members, written first.
  if (sharedBusy) return textOf(value, new CanonicalBytes(64));
  sharedBusy = true;
  try {
    return textOf(value, shared);
  } finally {
    sharedBusy = false;
  }
}

function textOf(value: unknown, writer: CanonicalBytes): string {
  writer.reset();
  writer.write(value);
  return decoder.decode(writer.bytes.subarray(0, writer.length));
}

export class CanonicalBytes extends JsonBytes {
  /** Views of `bytes` by length (`written`), for the buffer they were taken of. */
  #views: (Uint8Array | undefined)[] | undefined;
  #viewsOf: Uint8Array | undefined;

  /**
   * The bytes written so far, as a view (valid until the next write). Views are kept by length, so
   * hashing one record after another allocates no view each time: records of a file come in a few
   * hundred lengths.
   */
  written(): Uint8Array {
    const n = this.length;
    if (n >= VIEWS) return this.bytes.subarray(0, n);
    if (this.#viewsOf !== this.bytes) {
      this.#views = new Array<Uint8Array | undefined>(VIEWS).fill(undefined);
      this.#viewsOf = this.bytes; // the buffer grew: its views are new
    }
    const views = this.#views as (Uint8Array | undefined)[];
    let view = views[n];
    if (view === undefined) {
      view = this.bytes.subarray(0, n);
      views[n] = view;
    }
    return view;
  }

  /** Starts again from `prefix` (e.g. a hash's namespace). */
  reset(prefix?: Uint8Array): void {
    this.length = 0;
    if (prefix !== undefined) {
      this.reserve(prefix.length);
      this.bytes.set(prefix, 0);
      this.length = prefix.length;
    }
  }

  /** Appends the canonical JSON of `value` (`null` for a value JSON leaves out). */
  write(value: unknown): void {
    if (!this.#value(value)) this.ascii("null");
  }

  /**
   * Appends the canonical JSON of a plain object whose own keys are among `keys` (sorted as
   * canonical JSON sorts them, with no name Object.prototype has): no list of its keys made and
   * sorted. An object with another key is written as `write` writes it.
   */
  writeByKeys(object: Record<string, unknown>, keys: readonly string[]): void {
    let left = 0;
    for (const _ in object) left++; // its keys, counted without a list
    const start = this.length;
    this.byte(0x7b);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = object[key];
      if (value === undefined) continue; // not one of its keys (none is inherited)
      left--;
      const at = this.key(key, first);
      if (this.#value(value)) first = false;
      else this.length = at; // left out, as JSON.stringify leaves it out
    }
    this.byte(0x7d);
    if (left === 0) return;
    this.length = start; // a key of its own beyond `keys` (or one set to undefined)
    this.write(object);
  }

  /** False (nothing written) for what an object leaves out: undefined, a function, a symbol. */
  #value(value: unknown): boolean {
    const scalar = this.scalar(value);
    if (scalar !== OTHER) return scalar === WRITTEN;
    if (typeof value === "bigint") {
      this.ascii(`"${value}n"`);
    } else if (Array.isArray(value)) {
      this.byte(0x5b);
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.byte(COMMA);
        this.write(value[i]);
      }
      this.byte(0x5d);
    } else if (value instanceof Date) {
      this.string(value.toISOString());
    } else if (value instanceof Map) {
      const entries = [...value].map(([k, v]) => [canonicalJson(k), canonicalJson(v)] as const);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.text(`{"$map":[${entries.map(([k, v]) => `[${k},${v}]`).join(",")}]}`);
    } else if (value instanceof Set) {
      const members = [...value].map((v) => canonicalJson(v)).sort();
      this.text(`{"$set":[${members.join(",")}]}`);
    } else {
      this.#object(value as Record<string, unknown>);
    }
    return true;
  }

  #object(object: Record<string, unknown>): void {
    const keys = Object.keys(object);
    sortKeys(keys);
    this.byte(0x7b);
    let first = true;
    for (const key of keys) {
      const start = this.key(key, first);
      if (this.#value(object[key])) first = false;
      else this.length = start; // left out, as JSON.stringify leaves it out
    }
    this.byte(0x7d);
  }
}

/**
 * `names` sorted as canonical JSON sorts an object's keys, for `writeByKeys`; undefined when one
 * is a name Object.prototype has (`toString`, `__proto__`): an object without it would read the
 * inherited one.
 */
export function canonicalKeys(names: readonly string[]): readonly string[] | undefined {
  if (names.some((name) => name in Object.prototype)) return undefined;
  const keys = [...new Set(names)];
  sortKeys(keys);
  return keys;
}

/**
 * Sorts keys in place as Array.prototype.sort() would (UTF-16 code units: `<` on strings), by
 * insertion, which allocates nothing: an event's objects have a handful of keys, and sort()'s
 * work array was an eighth of the events path's allocations.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}

const shared = new CanonicalBytes();
let sharedBusy = false;
