import { describe, expect, test } from "vitest";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { isPhoneCountry, makePhoneNormalizer } from "../../../src/mapping/convert/phone.js";

const kr = makePhoneNormalizer("KR");

describe("phone", () => {
  test("phone 010-1234-5678 → 821012345678", () => {
    expect(kr("010-1234-5678")).toBe("821012345678");
  });

  test.each([
    ["+82 10-1234-5678", "821012345678"],
    ["01012345678", "821012345678"],
    ["(010) 1234 5678", "821012345678"],
    ["821012345678", "821012345678"],
    ["02-123-4567", "8221234567"],
    ["+1 202-555-0143", "12025550143"],
  ])("reads %j as %j", (text, digits) => {
    expect(kr(text)).toBe(digits);
  });

  test("uses the mapping's country for numbers without a country code", () => {
    expect(makePhoneNormalizer("US")("(202) 555-0143")).toBe("12025550143");
  });

  test.each([
    "010-123",
    "123",
    "010-1234-5678-9999",
    "010-CALL-NOW",
    "not a phone",
    "010-1234-5678 ext. 12",
  ])("an invalid number %j is invalid, never guessed", (text) => {
    const out = kr(text);
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("is not a valid phone number");
  });

  test("knows country codes", () => {
    expect(isPhoneCountry("KR")).toBe(true);
    expect(isPhoneCountry("XX")).toBe(false);
  });
});
