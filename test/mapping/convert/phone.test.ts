import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../../bench/seeded-random.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import {
  ASK_LIBRARY,
  isPhoneCountry,
  makePhoneNormalizer,
  NOT_VALID,
  nationalShortcut,
} from "../../../src/mapping/convert/phone.js";

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

  test("a carrier code (KR 081…) or a calling code without + goes the library's way", () => {
    const shortcut = nationalShortcut("KR");
    expect(shortcut?.("821012345678")).toBe(ASK_LIBRARY);
    expect(shortcut?.("00700-1-202-555-0143")).toBe(ASK_LIBRARY);
    expect(shortcut?.("010-1234-5678")).toBe("821012345678");
    expect(shortcut?.("010-123")).toBe(NOT_VALID);
  });

  test("countries that share a calling code (US, GB) always ask the library", () => {
    expect(nationalShortcut("US")).toBeUndefined();
    expect(nationalShortcut("GB")).toBeUndefined();
    expect(nationalShortcut("KR")).toBeDefined();
  });
});

/** The phone transform as libphonenumber-js alone gives it: what the shortcut must equal. */
function libraryOnly(country: CountryCode): (text: string) => string | undefined {
  return (text) => {
    const parsed = /^\+?[\d\s\-().]+$/.test(text)
      ? parsePhoneNumberFromString(text, country)
      : undefined;
    if (parsed === undefined || !parsed.isValid() || parsed.ext !== undefined) return undefined;
    return parsed.countryCallingCode + parsed.nationalNumber;
  };
}

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
  test("gives what libphonenumber-js gives, for every country", () => {
    const random = seededRandom(20240301);
    let shortcutAnswers = 0;
    for (const country of getCountries()) {
      const fast = makePhoneNormalizer(country);
      const reference = libraryOnly(country);
      for (const text of corpus(country, random)) {
        const out = fast(text);
        const expected = reference(text);
        if (expected === undefined) expect(out, `${country} ${text}`).toBeInstanceOf(Invalid);
        else expect(out, `${country} ${text}`).toBe(expected);
        if (nationalShortcut(country)?.(text) !== ASK_LIBRARY) shortcutAnswers++;
      }
    }
    expect(shortcutAnswers).toBeGreaterThan(1000);
  });

  test("answers typical KR mobiles itself, as the library would", () => {
    const shortcut = nationalShortcut("KR");
    const reference = libraryOnly("KR");
    const random = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(random() * 1e8)
        .toString()
        .padStart(8, "0");
      const text = `010-${n.slice(0, 4)}-${n.slice(4)}`;
      const out = shortcut?.(text);
      expect(out).not.toBe(ASK_LIBRARY);
      expect(out === NOT_VALID ? undefined : out, text).toBe(reference(text));
    }
  });
});
