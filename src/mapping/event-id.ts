/**
 * Deterministic event ids: a name-based UUID (version 5, RFC 9562 §5.5: SHA-1 of a namespace and
 * a name) of the event's identity, name, datetime, properties and items, in canonical JSON
 * (`[identity, name, datetime, properties, items]`). The same event read again (a re-run, an
 * overlapping nightly export, a retried batch) gets the same `event_log_id`, so DFINERY can
 * de-duplicate it if it does (api/events.ts) and `--state` can recognise it. The n-th identical
 * event of one input (n ≥ 2: two identical purchases in one second, a duplicated line) is named
 * with its number, `[identity, name, datetime, properties, items, n]`, so it is not taken for the
 * first (event-ids.ts counts them).
 *
 * One id per event is the hot path of import-events: the canonical JSON is written as bytes into a
 * reused buffer and hashed there by node:crypto's one-shot `hash` (measured 0.9 µs an event, against
 * 1.4 µs for a Hash object per call), with no string built but the digest's 20 characters.
 */
import { hash } from "node:crypto";
import type { Identity } from "../api/dfinery.js";
import type { EventItem, EventProperties } from "../api/events.js";
import { CanonicalBytes } from "../util/canonical-json.js";

/** Our namespace for event ids: the v5 UUID of "dfinery-import/events" in the URL namespace. */
export const EVENT_ID_NAMESPACE = "3914ce3b-9d9a-502d-ae3b-2935286d094a";

export interface EventIdParts {
  readonly identity: Identity;
  readonly name: string;
  readonly datetime: string;
  readonly properties: EventProperties;
  readonly items: readonly EventItem[] | undefined;
  /**
   * The keys `properties` can have (a mapping's property names) in canonical order, or undefined:
   * then its own are listed and sorted (canonical-json.ts, `canonicalKeys`).
   */
  readonly propertyKeys?: readonly string[] | undefined;
}

const COMMA = 0x2c;
const writer = new CanonicalBytes();
const words = new Int32Array(5);
const NAMESPACE_BYTES = new Map<string, Uint8Array>();

/** The event's id: the same parts, in any key order, always give the same UUID. */
export function eventId(parts: EventIdParts, occurrence = 1): string {
  return uuidOfDigest(eventDigest(parts, occurrence));
}

/**
 * The SHA-1 of the event's id name (its n-th occurrence), as five words. The array is reused by the
 * next call: read it (or copy it) before.
 */
export function eventDigest(parts: EventIdParts, occurrence = 1): Int32Array {
  const { identity, name } = parts;
  if (identity === prefix.identity && name === prefix.name) {
    writer.length = prefix.length; // the bytes up to the datetime are there, as written last
  } else {
    writer.reset(namespaceBytes(EVENT_ID_NAMESPACE));
    writer.byte(0x5b);
    writer.write(identity);
    writer.byte(COMMA);
    writer.write(name);
    writer.byte(COMMA);
    // A user's identity object is shared by the user's run of events (apply-event.ts).
    prefix.identity = KEPT.has(identity) ? identity : undefined;
    prefix.name = name;
    prefix.length = writer.length;
  }
  writer.write(parts.datetime);
  writer.byte(COMMA);
  const keys = parts.propertyKeys;
  if (keys === undefined) writer.write(parts.properties);
  else writer.writeByKeys(parts.properties, keys);
  writer.byte(COMMA);
  writer.write(parts.items);
  if (occurrence !== 1) {
    if (!Number.isSafeInteger(occurrence) || occurrence < 1) {
      throw new RangeError(`an occurrence is a whole number from 1, not ${occurrence}`);
    }
    writer.byte(COMMA);
    writer.ascii(String(occurrence));
  }
  writer.byte(0x5d);
  return digest();
}

/**
 * The start of the last event's bytes, through its identity and name, when its identity can be
 * known again by reference (a kept one: see keptIdentity). The next event of the same identity
 * and name writes from there.
 */
const prefix: { identity: Identity | undefined; name: string; length: number } = {
  identity: undefined,
  name: "",
  length: 0,
};

/** Identities that are never changed (keptIdentity). */
const KEPT = new WeakSet<Identity>();

/**
 * Says that `identity` will never be changed (the mapping's identity of a user's run of events),
 * so the events named after it with it are known by reference: their bytes through the identity
 * and name are not written again. An identity not kept is written for each event (a caller may
 * change its own objects between two ids).
 */
export function keptIdentity(identity: Identity): void {
  KEPT.add(identity);
}

/** A version-5 UUID of `name` (UTF-8) in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  prefix.identity = undefined; // the writer is overwritten
  writer.reset(namespaceBytes(namespace));
  writer.text(name);
  return uuidOfDigest(digest());
}

/**
 * The digest read from a latin1 ("binary") string, a character a byte: a Buffer per digest cost twice the
 * time of the hash and most of the events path's allocations by size (its backing store is its own).
 */
function digest(): Int32Array {
  const sha1 = hash("sha1", writer.written(), "binary"); // latin1
  for (let i = 0, at = 0; i < 5; i++, at += 4) {
    words[i] =
      (sha1.charCodeAt(at) << 24) |
      (sha1.charCodeAt(at + 1) << 16) |
      (sha1.charCodeAt(at + 2) << 8) |
      sha1.charCodeAt(at + 3);
  }
  return words;
}

function namespaceBytes(namespace: string): Uint8Array {
  let bytes = NAMESPACE_BYTES.get(namespace);
  if (bytes === undefined) {
    bytes = Buffer.from(namespace.replaceAll("-", ""), "hex");
    if (bytes.length !== 16) throw new RangeError(`namespace ${namespace} is not a UUID`);
    NAMESPACE_BYTES.set(namespace, bytes);
  }
  return bytes;
}

/** The character codes of the hexadecimal digits. */
const HEX_CODES = Uint8Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));
const DASH = 0x2d;

/** The code of the hexadecimal digit of `word`'s four bits from `shift`. */
const hex = (word: number, shift: number): number => HEX_CODES[(word >>> shift) & 0xf] as number;

/**
 * The UUID of a SHA-1 digest: its first 16 bytes with the version (5) and the RFC variant set,
 * made in one step from the character codes (a buffer read back as text cost a native call, a
 * fifth of the naming of an event).
 */
export function uuidOfDigest(digest: Int32Array): string {
  const a = digest[0] as number;
  const b = ((digest[1] as number) & 0xffff0fff) | 0x5000; // byte 6's high bits: version 5
  const c = ((digest[2] as number) & 0x3fffffff) | 0x80000000; // byte 8's: the RFC variant
  const d = digest[3] as number;
  // biome-ignore format: the UUID's five groups, one a line
  return String.fromCharCode(
    hex(a, 28), hex(a, 24), hex(a, 20), hex(a, 16), hex(a, 12), hex(a, 8), hex(a, 4), hex(a, 0), DASH,
    hex(b, 28), hex(b, 24), hex(b, 20), hex(b, 16), DASH,
    hex(b, 12), hex(b, 8), hex(b, 4), hex(b, 0), DASH,
    hex(c, 28), hex(c, 24), hex(c, 20), hex(c, 16), DASH,
    hex(c, 12), hex(c, 8), hex(c, 4), hex(c, 0),
    hex(d, 28), hex(d, 24), hex(d, 20), hex(d, 16), hex(d, 12), hex(d, 8), hex(d, 4), hex(d, 0),
  );
}
