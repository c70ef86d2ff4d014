/**
 * SHA-1 (FIPS 180-4 §6.1) of bytes already in a buffer, in JavaScript, for name-based UUIDs
 * (event-id.ts), which RFC 9562 defines on SHA-1: not for security. One event id is a hash of
 * ~150 bytes, where node:crypto's cost per call (a Hash object, native calls, a result Buffer) is
 * most of the work; this one pads in place and writes the five words into `out`, allocating
 * nothing. Tested against node:crypto (test/mapping/sha1.test.ts).
 */

const W = new Int32Array(80);

/**
 * The SHA-1 of `bytes[0, length)` into `out[0..4]` (big-endian words, as signed int32). Pads in
 * place: `bytes` must have room for 72 bytes after `length`, which are overwritten.
 */
export function sha1(bytes: Uint8Array, length: number, out: Int32Array): void {
  const end = (((length + 8) >> 6) << 6) + 64;
  if (bytes.length < end) throw new RangeError("sha1: no room to pad in the buffer");
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, end - 8);
  const high = Math.floor(length / 0x20000000); // bit length = length * 8, over 32 bits
  const low = (length * 8) >>> 0;
  bytes[end - 8] = high >>> 24;
  bytes[end - 7] = high >>> 16;
  bytes[end - 6] = high >>> 8;
  bytes[end - 5] = high;
  bytes[end - 4] = low >>> 24;
  bytes[end - 3] = low >>> 16;
  bytes[end - 2] = low >>> 8;
  bytes[end - 1] = low;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let block = 0; block < end; block += 64) {
    for (let i = 0, j = block; i < 16; i++, j += 4) {
      const hi = ((bytes[j] as number) << 24) | ((bytes[j + 1] as number) << 16);
      W[i] = hi | ((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number);
    }
    for (let i = 16; i < 80; i++) {
      const x = (W[i - 3] as number) ^ (W[i - 8] as number) ^ (W[i - 14] as number);
      const y = x ^ (W[i - 16] as number);
      W[i] = (y << 1) | (y >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let i = 0;
    for (; i < 20; i++) {
      const t =
        (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 60; i++) {
      const f = (b & c) | (b & d) | (c & d);
      const t = (((a << 5) | (a >>> 27)) + f + e - 0x70e44324 + (W[i] as number)) | 0; // 0x8f1bbcdc
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + (W[i] as number)) | 0; // 0xca62c1d6
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
  out[4] = h4;
}
