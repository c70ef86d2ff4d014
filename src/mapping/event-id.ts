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
  writer.write(parts.properties);
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

const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
const UUID_TEXT = Buffer.alloc(36);

/**
 * The UUID of a SHA-1 digest: its first 16 bytes with the version (5) and the RFC variant set,
 * written as ASCII into one buffer and read as one flat string (not a rope of 20 pieces).
 */
export function uuidOfDigest(digest: Int32Array): string {
  const text = UUID_TEXT;
  let at = 0;
  for (let k = 0; k < 16; k++) {
    if (k === 4 || k === 6 || k === 8 || k === 10) text[at++] = 0x2d; // -
    let byte = ((digest[k >> 2] as number) >>> (24 - 8 * (k & 3))) & 0xff;
    if (k === 6)
      byte = (byte & 0x0f) | 0x50; // version 5
    else if (k === 8) byte = (byte & 0x3f) | 0x80; // RFC variant
    text[at++] = HEX_DIGITS[byte >> 4] as number;
    text[at++] = HEX_DIGITS[byte & 0x0f] as number;
  }
  return text.toString("latin1", 0, 36);
}
