import { describe, expect, it } from "vitest";
import { identityHash, propertiesHash } from "../../src/state/hash.js";
import { canonicalJson } from "../../src/util/canonical-json.js";
import { keyedHash } from "../../src/util/hash.js";

const KEY = Buffer.alloc(32, 7);

describe("identityHash", () => {
  it("is the same for the same identity in any field order", () => {
    const a = identityHash(
      {
        email: "kim@example.com",
        external_id: "42",
        phone_no: "+821012345678",
      },
      KEY,
    );
    const b = identityHash(
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
    expect(identityHash({ external_id: "42", email: "" }, KEY)).toBe(
      identityHash({ external_id: "42" }, KEY),
    );
    expect(identityHash({ external_id: "42" }, KEY)).not.toBe(
      identityHash({ kakao_user_id: "42" }, KEY),
    );
    expect(identityHash({ external_id: "4", email: "2" }, KEY)).not.toBe(
      identityHash({ external_id: "42" }, KEY),
    );
  });

  it("holds no raw value", () => {
    expect(identityHash({ email: "kim@example.com" }, KEY)).not.toContain("kim");
  });

  it("is the keyed hash of the sorted non-empty fields as a JSON array (the state files' key: it must not change)", () => {
    const identity = {
      phone_no: "+821012345678",
      external_id: 'a "quoted" \\ id\n',
      email: "김민준@example.com",
      kakao_user_id: "",
    };
    const text = JSON.stringify([
      "email",
      "김민준@example.com",
      "external_id",
      'a "quoted" \\ id\n',
      "phone_no",
      "+821012345678",
    ]);
    expect(identityHash(identity, KEY)).toBe(keyedHash(KEY, text));
    expect(identityHash({ email: "kim@example.com" }, KEY)).toBe(
      keyedHash(KEY, '["email","kim@example.com"]'),
    );
  });
});

describe("propertiesHash", () => {
  it("is the keyed hash of the properties' canonical JSON (the state files' key: it must not change)", () => {
    const props = {
      name: "김민준",
      points: 120,
      tags: ["b", "a"],
      when: null,
      at: "2024-01-02",
    };
    expect(propertiesHash(props, KEY)).toBe(keyedHash(KEY, canonicalJson(props)));
    expect(propertiesHash({ b: 1, a: 2 }, KEY)).toBe(keyedHash(KEY, '{"a":2,"b":1}'));
  });

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
