/** The hashes the importer keys and fingerprints with: SHA-256 and HMAC-SHA-256, as base64url. */
import { createHash, hash } from "node:crypto";

/** SHA-256 as base64url (43 characters). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * HMAC-SHA-256 (RFC 2104) of `data` (text as UTF-8) with `key`, as base64url (43 characters): the
 * bytes `createHmac` gives, from two one-shot `crypto.hash` calls, which cost less than half of a
 * Hmac object each (import-events keys every event; tested against createHmac).
 */
export function keyedHash(key: Buffer, data: string | Uint8Array): string {
  const { inner, outer } = padsOf(key);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const innerHash = hash("sha256", Buffer.concat([inner, bytes]), "buffer");
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
