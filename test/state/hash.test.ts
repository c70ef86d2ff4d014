import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/state/canonical.js";
import { identityKey, keyedHash, propertiesHash } from "../../src/state/hash.js";

const KEY = Buffer.alloc(32, 7);

describe("identityKey", () => {
  it("is the same for the same identity in any field order", () => {
    const a = identityKey(
      {
        email: "kim@example.com",
        external_id: "42",
        phone_no: "+821012345678",
      },
      KEY,
    );
    const b = identityKey(
      {
        phone_no: "+821012345678",
        external_id: "42",
        email: "kim@example.com",
      },
      KEY,
    );
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("ignores empty fields and tells fields apart", () => {
    expect(identityKey({ external_id: "42", email: "" }, KEY)).toBe(
      identityKey({ external_id: "42" }, KEY),
    );
    expect(identityKey({ external_id: "42" }, KEY)).not.toBe(
      identityKey({ kakao_user_id: "42" }, KEY),
    );
    expect(identityKey({ external_id: "4", email: "2" }, KEY)).not.toBe(
      identityKey({ external_id: "42" }, KEY),
    );
  });

  it("holds no raw value", () => {
    expect(identityKey({ email: "kim@example.com" }, KEY)).not.toContain("kim");
  });
});

describe("propertiesHash", () => {
  it("does not depend on key order", () => {
    expect(propertiesHash({ a: 1, b: "x", c: null }, KEY)).toBe(
      propertiesHash({ c: null, b: "x", a: 1 }, KEY),
    );
  });

  it("depends on array order, values and types", () => {
    const base = propertiesHash({ tags: ["a", "b"] }, KEY);
    expect(propertiesHash({ tags: ["b", "a"] }, KEY)).not.toBe(base);
    expect(propertiesHash({ n: 1 }, KEY)).not.toBe(propertiesHash({ n: "1" }, KEY));
    expect(propertiesHash({ n: null }, KEY)).not.toBe(propertiesHash({}, KEY));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: [{ z: 1, y: 2 }, 3], a: { d: 1, c: undefined } })).toBe(
      '{"a":{"d":1},"b":[{"y":2,"z":1},3]}',
    );
  });

  it("writes Maps by sorted entries and skips functions", () => {
    const one = new Map<string, number>([
      ["x", 1],
      ["w", 2],
    ]);
    const two = new Map<string, number>([
      ["w", 2],
      ["x", 1],
    ]);
    expect(canonicalJson({ m: one, f: () => 1 })).toBe(canonicalJson({ m: two }));
    expect(canonicalJson(new Map([["x", 2]]))).not.toBe(canonicalJson(new Map([["x", 1]])));
  });
});

describe("keyedHash", () => {
  it("is HMAC-SHA-256: the bytes createHmac gives, for any key length and text", () => {
    const keys = [
      KEY,
      Buffer.alloc(32, 9),
      Buffer.alloc(0),
      Buffer.alloc(64, 1),
      Buffer.alloc(100, 2),
    ];
    const texts = ["", "0b9f1c5e-6a47-5f7e-9d3a-2f1e8c7b6a50", "홍길동 ✓", "x".repeat(1000)];
    for (const key of keys) {
      for (const text of texts) {
        const expected = createHmac("sha256", key).update(text).digest("base64url");
        expect(keyedHash(key, text), `${key.length}-byte key`).toBe(expected);
      }
    }
  });
});
