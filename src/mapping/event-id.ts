/**
 * Deterministic event ids: a name-based UUID (version 5, RFC 9562 §5.5: SHA-1 of a namespace and
 * a name) of the event's identity, name, datetime, properties and items, in canonical JSON. The
 * same event read again (a re-run, an overlapping nightly export, a retried batch) gets the same
 * `event_log_id`, so DFINERY can de-duplicate it if it does (api/events.ts) and `--state` can
 * recognise it. node:crypto does the hashing; the UUID layout is a few lines.
 */
import { createHash } from "node:crypto";
import type { Identity } from "../api/dfinery.js";
import type { EventItem, EventProperties } from "../api/events.js";
import { canonicalJson } from "../state/canonical.js";

/** Our namespace for event ids: the v5 UUID of "dfinery-import/events" in the URL namespace. */
export const EVENT_ID_NAMESPACE = "3914ce3b-9d9a-502d-ae3b-2935286d094a";

export interface EventIdParts {
  readonly identity: Identity;
  readonly name: string;
  readonly datetime: string;
  readonly properties: EventProperties;
  readonly items: readonly EventItem[] | undefined;
}

/** The event's id: the same parts, in any key order, always give the same UUID. */
export function eventId(parts: EventIdParts): string {
  const { identity, name, datetime, properties, items } = parts;
  return uuidV5(EVENT_ID_NAMESPACE, canonicalJson([identity, name, datetime, properties, items]));
}

const NAMESPACE_BYTES = new Map<string, Buffer>();

/** A version-5 UUID of `name` (UTF-8) in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  let ns = NAMESPACE_BYTES.get(namespace);
  if (ns === undefined) {
    ns = Buffer.from(namespace.replaceAll("-", ""), "hex");
    if (ns.length !== 16) throw new RangeError(`namespace ${namespace} is not a UUID`);
    NAMESPACE_BYTES.set(namespace, ns);
  }
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80; // RFC variant
  const hex = hash.toString("hex", 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
