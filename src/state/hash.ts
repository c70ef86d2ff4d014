import { createHash } from "node:crypto";
import { IDENTITY_FIELDS, type Identity, type UserProperties } from "../api/dfinery.js";
import { canonicalJson } from "./canonical.js";

/** SHA-256 as base64url (43 characters). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

const SORTED_FIELDS = [...IDENTITY_FIELDS].sort();

/**
 * The key under which the state file remembers one user: a SHA-256 of the identity's non-empty
 * fields in sorted order, so the file never holds a raw email, phone number or id, and the same
 * identity gives the same key whatever order its fields were set in.
 */
export function identityKey(identity: Identity): string {
  const parts: string[] = [];
  for (const field of SORTED_FIELDS) {
    const value = identity[field];
    if (typeof value === "string" && value !== "") parts.push(field, value);
  }
  return sha256(JSON.stringify(parts));
}

/** A SHA-256 of the properties' canonical JSON: key order does not count, array order does. */
export function propertiesHash(props: UserProperties): string {
  return sha256(canonicalJson(props));
}
