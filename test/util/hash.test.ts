import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyedHash, sha256 } from "../../src/util/hash.js";

describe("keyedHash", () => {
  it("is HMAC-SHA-256: the bytes createHmac gives, for any key length and text or bytes", () => {
    const keys = [
      Buffer.alloc(32, 7),
      Buffer.alloc(32, 9),
      Buffer.alloc(0),
      Buffer.alloc(64, 1),
      Buffer.alloc(100, 2),
    ];
    // Longer texts than the buffer kept for the data holds at first, then shorter ones again.
    const texts = [
      "",
      "0b9f1c5e-6a47-5f7e-9d3a-2f1e8c7b6a50",
      "홍길동 ✓",
      "x".repeat(1000),
      "홍".repeat(5000),
      "a lone surrogate \ud800 and 😀",
      "y",
    ];
    for (const key of keys) {
      for (const text of texts) {
        const expected = createHmac("sha256", key).update(text).digest("base64url");
        expect(keyedHash(key, text), `${key.length}-byte key`).toBe(expected);
        expect(keyedHash(key, Buffer.from(text)), `${key.length}-byte key, bytes`).toBe(expected);
      }
    }
  });
});

describe("sha256", () => {
  it("is SHA-256 of the UTF-8 text as base64url", () => {
    expect(sha256("홍길동")).toBe(createHash("sha256").update("홍길동").digest("base64url"));
    expect(sha256("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  });
});
