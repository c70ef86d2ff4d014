import { createHash, hash } from "node:crypto";
import { IDENTITY_FIELDS, type Identity, type UserProperties } from "../api/dfinery.js";
import { canonicalJson } from "./canonical.js";

/** SHA-256 as base64url (43 characters). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * HMAC-SHA-256 (RFC 2104) with the state key, as base64url (43 characters): the bytes
 * `createHmac` gives, from two one-shot `crypto.hash` calls, which cost less than half of a Hmac
 * object each (import-events keys every event; tested against createHmac).
 */
export function keyedHash(key: Buffer, text: string): string {
  const { inner, outer } = padsOf(key);
  const innerHash = hash("sha256", Buffer.concat([inner, Buffer.from(text, "utf8")]), "buffer");
  return hash("sha256", Buffer.concat([outer, innerHash]), "base64url");
}

const BLOCK = 64;
let padded: { key: Buffer; inner: Buffer; outer: Buffer } | undefined;

/** The key XOR ipad and XOR opad, for the last key used (a run uses one). */
function padsOf(key: Buffer): { inner: Buffer; outer: Buffer } {
  if (padded?.key === key) return padded;
  const block = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? hash("sha256", key, "buffer") : key).copy(block);
  const inner = Buffer.alloc(BLOCK);
  const outer = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (block[i] as number) ^ 0x36;
    outer[i] = (block[i] as number) ^ 0x5c;
  }
  padded = { key, inner, outer };
  return padded;
}

const SORTED_FIELDS = [...IDENTITY_FIELDS].sort();

/**
 * The key under which the state file remembers one user: an HMAC, keyed with the state key, of
 * the identity's non-empty fields in sorted order. The file never holds a raw email, phone number
 * or id, and without the key (kept in another file) a guess cannot be checked against it: an
 * 8-digit phone number is no longer found by hashing all 10⁸ of them. The same identity gives the
 * same key whatever order its fields were set in.
 */
export function identityKey(identity: Identity, key: Buffer): string {
  const parts: string[] = [];
  for (const field of SORTED_FIELDS) {
    const value = identity[field];
    if (typeof value === "string" && value !== "") parts.push(field, value);
  }
  return keyedHash(key, JSON.stringify(parts));
}

/** A keyed hash of the properties' canonical JSON: key order does not count, array order does. */
export function propertiesHash(props: UserProperties, key: Buffer): string {
  return keyedHash(key, canonicalJson(props));
}
