import { createHash, createHmac } from "node:crypto";
import { IDENTITY_FIELDS, type Identity, type UserProperties } from "../api/dfinery.js";
import { canonicalJson } from "./canonical.js";

/** SHA-256 as base64url (43 characters). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** HMAC-SHA-256 with the state key, as base64url (43 characters). */
export function keyedHash(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("base64url");
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
