/** The hashes the importer keys and fingerprints with: SHA-256 and HMAC-SHA-256, as base64url. */
import { createHash, hash } from "node:crypto";

/** SHA-256 as base64url (43 characters). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * HMAC-SHA-256 (RFC 2104) of `data` (text as UTF-8) with `key`, as base64url (43 characters): the
 * bytes `createHmac` gives (tested against it), from two one-shot `crypto.hash` calls over buffers
 * kept for the key, with the pads in place: nothing is concatenated or allocated but the inner
 * digest's text. A --state run hashes every row twice (its identity, its properties) and
 * import-events every event; a Hmac object costs 1.9 µs, and `crypto.hash` asked for a Buffer
 * is four times slower than asked for text, so the inner digest comes as "binary" (latin1) text, one char
 * a byte, written back into the outer buffer: 0.87 µs a hash.
 */
export function keyedHash(key: Buffer, data: string | Uint8Array): string {
  const pads = padsOf(key);
  let length: number;
  if (typeof data === "string") {
    pads.fit(data.length * 3); // UTF-8: at most 3 bytes a UTF-16 unit
    length = pads.inner.write(data, BLOCK, "utf8");
  } else {
    pads.fit(data.length);
    pads.inner.set(data, BLOCK);
    length = data.length;
  }
  const innerHash = hash("sha256", pads.inner.subarray(0, BLOCK + length), "binary");
  pads.outer.write(innerHash, BLOCK, "binary");
  return hash("sha256", pads.outer, "base64url");
}

const BLOCK = 64;
const DIGEST = 32;

/** The key XOR ipad, followed by room for the data; the key XOR opad, followed by the inner digest. */
class Pads {
  inner: Buffer;
  readonly outer = Buffer.alloc(BLOCK + DIGEST);

  constructor(readonly key: Buffer) {
    const block = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? hash("sha256", key, "buffer") : key).copy(block);
    this.inner = Buffer.alloc(BLOCK + 1024);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = (block[i] as number) ^ 0x36;
      this.outer[i] = (block[i] as number) ^ 0x5c;
    }
  }

  /** Makes room for `bytes` of data after the inner pad. */
  fit(bytes: number): void {
    if (BLOCK + bytes <= this.inner.length) return;
    const grown = Buffer.alloc(BLOCK + bytes * 2);
    this.inner.copy(grown, 0, 0, BLOCK);
    this.inner = grown;
  }
}

let padded: Pads | undefined;

/** The pads of the last key used (a run uses one). */
function padsOf(key: Buffer): Pads {
  if (padded?.key !== key) padded = new Pads(key);
  return padded;
}
