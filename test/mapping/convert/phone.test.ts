import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../../bench/seeded-random.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { isPhoneCountry, makePhoneNormalizer } from "../../../src/mapping/convert/phone.js";
import { makeRowPhoneNormalizer } from "../../../src/mapping/convert/phone-country.js";
import {
  ASK_LIBRARY,
  NOT_VALID,
  nationalShortcut,
} from "../../../src/mapping/convert/phone-shortcut.js";

const kr = makePhoneNormalizer("KR");
const us = makePhoneNormalizer("US");

function refusal(out: string | Invalid): string {
  expect(out).toBeInstanceOf(Invalid);
  return (out as Invalid).detail;
}

describe("phone", () => {
  test("phone 010-1234-5678 → 821012345678", () => {
    expect(kr("010-1234-5678")).toBe("821012345678");
  });

  test.each([
    "010-1234-5678",
    "01012345678",
    "010 1234 5678",
    "010.1234.5678",
    "(010) 1234 5678",
    "+82 10-1234-5678",
    "+82-10-1234-5678",
    "+82 (0)10 1234 5678",
    "+821012345678",
    "821012345678",
    "82-10-1234-5678",
    "0082-10-1234-5678",
    "00821012345678",
    "1012345678", // Excel's number cell: the 0 dropped
  ])("a Korean mobile written %j is sent as 821012345678", (text) => {
    expect(kr(text)).toBe("821012345678");
  });

  test.each([
    ["02-123-4567", "8221234567"],
    ["031-123-4567", "82311234567"],
    ["1588-1234", "8215881234"], // a KR number whose national form has no 0
    ["+1 202-555-0143", "12025550143"],
  ])("reads %j as %j", (text, digits) => {
    expect(kr(text)).toBe(digits);
  });

  test.each([
    ["617.253.1042", "16172531042"],
    ["(415) 555-0132", "14155550132"],
    ["+1 617 253 1042", "16172531042"],
    ["+1 (415) 555-0132", "14155550132"],
    ["001-1-617-253-1042", "16172531042"], // KR's international prefix 001
    ["0016172531042", "16172531042"], // 00 + CC
  ])("a US number %j is sent as its own +1 digits, with country KR too", (text, digits) => {
    if (text.startsWith("+") || text.startsWith("00")) expect(kr(text)).toBe(digits);
    expect(us(text)).toBe(digits);
  });

  test.each(["617.253.1042", "(415) 555-0132", "6172531042", "415-555-0132"])(
    "a US number %j without +1 is refused in KR, naming the value and the country assumed",
    (text) => {
      const detail = refusal(kr(text));
      expect(detail).toContain(JSON.stringify(text));
      expect(detail).toContain("of KR, the country assumed");
      expect(detail).toContain("a KR number starts with 0");
    },
  );

  test.each(["010-123-456", "010-12-3456", "010-123", "123", "010-1234-5678-9999"])(
    "a number of the wrong length %j is refused",
    (text) => {
      expect(refusal(kr(text))).toContain(`${JSON.stringify(text)} is not a valid phone number`);
    },
  );

  test.each(["10-1234-5678", "212345678", "1612345678"])(
    "a KR number without its 0 is refused, but for a mobile written 10 + 8 digits (%j)",
    (text) => {
      expect(refusal(kr(text))).toContain("a KR number starts with 0");
    },
  );

  test.each(["010-CALL-NOW", "not a phone", "010-1234-5678 ext. 12"])(
    "not a number %j is invalid, never guessed",
    (text) => {
      expect(refusal(kr(text))).toContain("is not a valid phone number");
    },
  );

  test("the US has no trunk prefix: 10 digits are a national number there", () => {
    expect(us("2025550143")).toBe("12025550143");
    expect(us("1-202-555-0143")).toBe("12025550143");
  });

  test("knows country codes", () => {
    expect(isPhoneCountry("KR")).toBe(true);
    expect(isPhoneCountry("XX")).toBe(false);
  });

  test("a per-row country reads each row's number in its own country", () => {
    const phone = makeRowPhoneNormalizer({
      column: "국가",
      read: (cells) => cells.국가,
      values: new Map<string, CountryCode>([
        ["한국", "KR"],
        ["미국", "US"],
      ]),
      emptyValues: ["-"],
    });
    expect(phone("617.253.1042", { 국가: "미국" })).toBe("16172531042");
    expect(phone("010-1234-5678", { 국가: " 한국 " })).toBe("821012345678");
    expect(refusal(phone("617.253.1042", { 국가: "한국" }))).toContain(
      "of KR, the country assumed",
    );
    expect(phone("+82 10 1234 5678", { 국가: "Atlantis" })).toBe("821012345678");
    expect(refusal(phone("010-1234-5678", { 국가: "Atlantis" }))).toBe(
      '"010-1234-5678" has no +country code, and column "국가" holds "Atlantis", not in source.country.values',
    );
    expect(refusal(phone("010-1234-5678", { 국가: "-" }))).toBe(
      '"010-1234-5678" has no +country code, and column "국가" (source.country) is empty',
    );
    const codes = makeRowPhoneNormalizer({
      column: "cc",
      read: (cells) => cells.cc,
      default: "KR",
      emptyValues: [],
    });
    expect(codes("(415) 555-0132", { cc: "us" })).toBe("14155550132");
    expect(codes("010-1234-5678", { cc: "" })).toBe("821012345678");
    expect(refusal(codes("010-1234-5678", { cc: "Korea" }))).toContain(
      'column "cc" holds "Korea", not a country code such as KR',
    );
  });

  test("a carrier code (KR 081…) or a calling code without + goes the library's way", () => {
    const shortcut = nationalShortcut("KR");
    expect(shortcut?.("821012345678")).toBe(ASK_LIBRARY);
    expect(shortcut?.("00700-1-202-555-0143")).toBe(ASK_LIBRARY);
    expect(shortcut?.("1012345678")).toBe(ASK_LIBRARY);
    expect(shortcut?.("010-1234-5678")).toBe("821012345678");
    expect(shortcut?.("010-123")).toBe(NOT_VALID);
    expect(shortcut?.("010-123-456")).toBe(NOT_VALID);
  });

  test("countries that share a calling code (US, GB) always ask the library", () => {
    expect(nationalShortcut("US")).toBeUndefined();
    expect(nationalShortcut("GB")).toBeUndefined();
    expect(nationalShortcut("KR")).toBeDefined();
  });
});

/** National numbers in the plain shape: examples, their near misses, and random digits. */
function corpus(country: CountryCode, random: () => number): string[] {
  const digit = () => String(Math.floor(random() * 10));
  const digits = (n: number) => Array.from({ length: n }, digit).join("");
  const group = (d: string) => {
    let out = "";
    for (let i = 0; i < d.length; i++) {
      if (i > 0 && random() < 0.3) out += random() < 0.7 ? "-" : " ";
      out += d[i];
    }
    return out;
  };
  const example = getExampleNumber(country, examples);
  const national = example === undefined ? digits(8) : example.formatNational().replace(/\D/g, "");
  const callingCode = getCountryCallingCode(country);
  const texts = new Set<string>();
  if (example !== undefined) texts.add(example.formatNational());
  for (let i = 0; i < 60; i++) {
    const changed = [...national].map((c) => (random() < 0.15 ? digit() : c)).join("");
    const cut = random();
    const variant =
      cut < 0.2
        ? changed.slice(0, Math.max(1, changed.length - 1 - Math.floor(random() * 3)))
        : cut < 0.4
          ? changed + digits(1 + Math.floor(random() * 3))
          : changed;
    texts.add(group(variant));
    texts.add(group(`0${variant.replace(/^0/, "")}`));
    texts.add(group(`${callingCode}${variant}`));
    texts.add(group(`00${digits(1)}${variant}`));
    texts.add(group(`0${digits(1 + Math.floor(random() * 3))}${variant.slice(1)}`));
    texts.add(group(digits(1 + Math.floor(random() * 18))));
  }
  return [...texts];
}

describe("phone: the national shortcut", () => {
  test("gives what the library's path gives, for every country; every number sent is valid", () => {
    const random = seededRandom(20240301);
    let shortcutAnswers = 0;
    let sent = 0;
    for (const country of getCountries()) {
      const fast = makePhoneNormalizer(country);
      const reference = makePhoneNormalizer(country, false);
      for (const text of corpus(country, random)) {
        const out = fast(text);
        const expected = reference(text);
        if (expected instanceof Invalid) expect(out, `${country} ${text}`).toBeInstanceOf(Invalid);
        else {
          expect(out, `${country} ${text}`).toBe(expected);
          expect(parsePhoneNumberFromString(`+${out}`)?.isValid(), `${country} ${text}`).toBe(true);
          sent++;
        }
        if (nationalShortcut(country)?.(text) !== ASK_LIBRARY) shortcutAnswers++;
      }
    }
    expect(shortcutAnswers).toBeGreaterThan(1000);
    expect(sent).toBeGreaterThan(1000);
  });

  test("answers typical KR mobiles itself, as the library would", () => {
    const shortcut = nationalShortcut("KR");
    const reference = makePhoneNormalizer("KR", false);
    const random = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(random() * 1e8)
        .toString()
        .padStart(8, "0");
      const text = `010-${n.slice(0, 4)}-${n.slice(4)}`;
      const out = shortcut?.(text);
      expect(out).not.toBe(ASK_LIBRARY);
      const expected = reference(text);
      expect(out === NOT_VALID ? undefined : out, text).toBe(
        expected instanceof Invalid ? undefined : expected,
      );
    }
  });
});
