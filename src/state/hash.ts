/** The keys under which the state file remembers a user and the properties last sent for them. */
import { IDENTITY_FIELDS, type Identity } from "../api/dfinery.js";
import { CanonicalBytes } from "../util/canonical-json.js";
import { keyedHash } from "../util/hash.js";

const SORTED_FIELDS = [...IDENTITY_FIELDS].sort().map((field) => ({
  field,
  quoted: JSON.stringify(field),
}));

/**
 * The key under which the state file remembers one user: an HMAC, keyed with the state key, of
 * the identity's non-empty fields in sorted order. The file never holds a raw email, phone number
 * or id, and without the key (kept in another file) a guess cannot be checked against it: an
 * 8-digit phone number is no longer found by hashing all 10⁸ of them. The same identity gives the
 * same key whatever order its fields were set in.
 */
export function identityHash(identity: Identity, key: Buffer): string {
  // The text of JSON.stringify([field, value, …]), without the array (one is hashed every row).
  let text = "";
  for (const { field, quoted } of SORTED_FIELDS) {
    const value = identity[field];
    if (typeof value === "string" && value !== "") {
      text += `${text === "" ? "[" : ","}${quoted},${JSON.stringify(value)}`;
    }
  }
  return keyedHash(key, text === "" ? "[]" : `${text}]`);
}

/** Reused by every propertiesHash (one per row of a --state run): the text is hashed where it lies. */
const writer = new CanonicalBytes();

/**
 * A keyed hash of what DFINERY holds for a user, as canonical JSON (a profile's properties, an
 * identity's linked set): key order does not count, array order does.
 */
export function propertiesHash(props: object, key: Buffer): string {
  writer.reset();
  writer.write(props);
  return keyedHash(key, writer.bytes.subarray(0, writer.length));
}
