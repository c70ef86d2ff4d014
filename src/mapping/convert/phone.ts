import {
  type CountryCode,
  isSupportedCountry,
  Metadata,
  parsePhoneNumberFromString,
} from "libphonenumber-js";
import { Invalid, show } from "./invalid.js";

// Digits and the punctuation people write numbers with; letters (vanity numbers) are not read.
const PHONE_CHARS = /^\+?[\d\s\-().]+$/;

export function isPhoneCountry(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

/**
 * Compiles the `phone` transform: a number in the international digits DFINERY shows in its
 * examples (country code, no `+`): `010-1234-5678` with country KR → `821012345678`.
 * `+82 10-1234-5678` and `821012345678` give the same. Validation is libphonenumber-js's default
 * (min) metadata: the length and leading digits for the country, so a number in a newly opened
 * range is not rejected, and a truncated or overlong one is.
 *
 * The common case, a national number in ASCII digits with `-` or space between groups, takes a
 * shortcut (`nationalShortcut`) with the library's own metadata and steps; anything else, and
 * anything the shortcut is not sure of, goes to `parsePhoneNumberFromString`.
 */
export function makePhoneNormalizer(country: CountryCode): (text: string) => string | Invalid {
  const shortcut = nationalShortcut(country);
  const invalid = (text: string) =>
    new Invalid(`${show(text)} is not a valid phone number (default country ${country})`);
  const library = (text: string): string | Invalid => {
    const parsed = PHONE_CHARS.test(text) ? parsePhoneNumberFromString(text, country) : undefined;
    if (parsed === undefined || !parsed.isValid() || parsed.ext !== undefined) return invalid(text);
    return parsed.countryCallingCode + parsed.nationalNumber;
  };
  if (shortcut === undefined) return library;
  return (text) => {
    const out = shortcut(text);
    if (out === ASK_LIBRARY) return library(text);
    return out === NOT_VALID ? invalid(text) : out;
  };
}

export const ASK_LIBRARY = 0;
export const NOT_VALID = 1;
export type Shortcut = (text: string) => string | typeof ASK_LIBRARY | typeof NOT_VALID;

/** The runtime side of libphonenumber-js's Metadata that its typings leave out. */
interface PlanMetadata {
  selectNumberingPlan(country: CountryCode): void;
  hasTypes(): boolean;
  getCountryCodesForCallingCode(callingCode: string): readonly string[] | undefined;
  numberingPlan?: {
    callingCode(): string;
    IDDPrefix(): string | undefined;
    nationalNumberPattern(): string;
    possibleLengths(): readonly number[] | undefined;
    nationalPrefixForParsing(): string | number | undefined;
  };
}

// ASCII digits, groups split by one `-` or space: what a spreadsheet export nearly always holds.
// No `+`, no brackets, no other digits or punctuation: those take the library's full path.
const NATIONAL_SHAPE = /^\d+(?:[- ]\d+)*$/;
const MAX_SHAPE_LENGTH = 40;
const SEPARATOR = /[- ]/;
const SEPARATORS = /[- ]/g;
// The library's bounds on a national (significant) number.
const MIN_NSN = 2;
const MAX_NSN = 17;

/**
 * libphonenumber-js's path (`parse` with a default country, then `isValid`) for a national number
 * in the plain shape, taken step by step with the same metadata, minus the costly generic parts
 * (option spreading, one RegExp built per pattern test). It exists only where that path is
 * simple: a country that is alone on its calling code, metadata without number types (min), and
 * a number that neither starts with an international prefix nor with the calling code, nor has a
 * carrier code. Everything else answers ASK_LIBRARY. Undefined when the country does not qualify.
 * test/mapping/convert/phone.test.ts compares it with the library on every country.
 */
export function nationalShortcut(country: CountryCode): Shortcut | undefined {
  let plan: PlanMetadata["numberingPlan"];
  let alone = false;
  let types = true;
  try {
    const metadata = new Metadata() as unknown as PlanMetadata;
    metadata.selectNumberingPlan(country);
    plan = metadata.numberingPlan;
    if (plan === undefined) return undefined;
    const countries = metadata.getCountryCodesForCallingCode(plan.callingCode());
    alone = countries !== undefined && countries.length === 1 && countries[0] === country;
    types = metadata.hasTypes();
  } catch {
    return undefined; // a library whose metadata API changed: always ask the library
  }
  const callingCode = plan.callingCode();
  const iddPrefix = plan.IDDPrefix();
  const pattern = plan.nationalNumberPattern();
  const lengths = plan.possibleLengths();
  const prefixForParsing = plan.nationalPrefixForParsing();
  if (!alone || types || typeof callingCode !== "string" || callingCode === "") return undefined;
  if (typeof iddPrefix !== "string" || typeof pattern !== "string") return undefined;
  if (lengths === undefined || lengths.length === 0) return undefined;
  const shortest = lengths[0] as number;
  const longest = lengths[lengths.length - 1] as number;

  const idd = new RegExp(iddPrefix);
  const valid = new RegExp(`^(?:${pattern})$`);
  // As the library: a falsy prefix (the minified metadata writes "none" as 0) strips nothing.
  const prefix = prefixForParsing ? new RegExp(`^(?:${prefixForParsing})`) : undefined;

  /** checkNumberLength(…) is neither TOO_SHORT nor INVALID_LENGTH (TOO_LONG counts as possible). */
  const possibleLength = (length: number): boolean => {
    if (shortest === length) return true;
    if (shortest > length) return false;
    if (longest < length) return true;
    return lengths.indexOf(length, 1) >= 0;
  };

  return (text) => {
    if (text.length > MAX_SHAPE_LENGTH || !NATIONAL_SHAPE.test(text)) return ASK_LIBRARY;
    const digits = SEPARATOR.test(text) ? text.replace(SEPARATORS, "") : text;
    if (digits.length < 3) return ASK_LIBRARY;
    // extractCountryCallingCode: an international prefix, or the calling code without `+`.
    if (digits.search(idd) === 0 || digits.startsWith(callingCode)) return ASK_LIBRARY;
    // extractNationalNumber: strip the national prefix unless that makes a worse number.
    let national = digits;
    if (prefix !== undefined) {
      const match = prefix.exec(digits);
      if (match !== null) {
        const groups = match.length - 1;
        if (groups > 0 && match[groups]) return ASK_LIBRARY; // a carrier code or a transform
        const stripped = digits.slice(match[0].length);
        if (stripped !== digits) {
          const keep =
            (valid.test(digits) && !valid.test(stripped)) || !possibleLength(stripped.length);
          national = keep ? digits : stripped;
        }
      }
    }
    if (national.length < MIN_NSN || national.length > MAX_NSN) return NOT_VALID;
    return valid.test(national) ? callingCode + national : NOT_VALID;
  };
}
