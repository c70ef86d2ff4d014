/**
 * The `phone` transform: a number in the international digits DFINERY shows in its examples
 * (country code, no `+`): `010-1234-5678` read in KR → `821012345678`. A phone number is an
 * identity, so a wrong one attaches data to someone else: only numbers libphonenumber-js calls
 * valid on its max metadata (each number type's own pattern, as Google's libphonenumber; the
 * default min metadata checks only lengths and passes `010-123-456`) are sent, and nothing is read
 * in a country it was not written for:
 *  - `+CC …` and `00CC …` are read in their own country, whatever the country assumed;
 *  - a number without them is read in the country assumed (source.country, or the row's), and must
 *    be written as that country writes it nationally: with its trunk prefix (KR `0`), so
 *    `617.253.1042` is not taken for a KR number. The one leniency is a KR mobile written `10` + 8
 *    digits: Excel's `1012345678`, the `0` dropped from a number cell.
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js/max";
import { Invalid, show } from "./invalid.js";
import { ASK_LIBRARY, NOT_VALID, nationalShortcut, writesTrunkPrefix } from "./phone-shortcut.js";

// Digits and the punctuation people write numbers with; letters (vanity numbers) are not read.
const PHONE_CHARS = /^\+?[\d\s\-().]+$/;
const NOT_DIGITS = /\D/g;
/** Excel's KR mobile: `010-1234-5678` typed into a number cell shows as `1012345678`. */
const KR_MOBILE_WITHOUT_ZERO = /^10\d{8}$/;

export function isPhoneCountry(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

/** No country for a number without +country code in this row, and why (for the message). */
export interface NoCountry {
  readonly why: string;
}

/**
 * Compiles the transform for numbers without a country code read in `country` (or refused, with
 * NoCountry's reason). `shortcut: false` takes the library's path for every number (tests).
 */
export function makePhoneNormalizer(
  country: CountryCode | NoCountry,
  shortcut = true,
): (text: string) => string | Invalid {
  const code = typeof country === "string" ? country : undefined;
  const fast = code !== undefined && shortcut ? nationalShortcut(code) : undefined;
  // Formatting a number nationally costs more than parsing it: only where there is a prefix to find.
  const trunk = code !== undefined && writesTrunkPrefix(code);
  const notValid = (text: string) =>
    new Invalid(
      `${show(text)} is not a valid phone number of ${code}, the country assumed (a number of another country needs its +country code)`,
    );

  const national = (text: string, digits: string): string | Invalid => {
    if (code === undefined) {
      return new Invalid(`${show(text)} has no +country code, and ${(country as NoCountry).why}`);
    }
    const parsed = parse(text, code);
    if (parsed === undefined) return notValid(text);
    if (trunk && parsed.nationalNumber === digits) {
      // Nothing was stripped: no trunk prefix, no calling code. Valid only where the country's
      // own national format has no trunk prefix either (US), or for Excel's KR mobile.
      const prefix = trunkPrefix(parsed);
      if (prefix !== "" && !(code === "KR" && KR_MOBILE_WITHOUT_ZERO.test(text))) {
        return new Invalid(
          `${show(text)} is not a valid phone number of ${code}, the country assumed: written without +country code, a ${code} number starts with ${prefix} (a number of another country needs its +country code)`,
        );
      }
    }
    return parsed.countryCallingCode + parsed.nationalNumber;
  };

  return (text) => {
    if (!PHONE_CHARS.test(text)) return notPhone(text);
    if (fast !== undefined) {
      const out = fast(text);
      if (out === NOT_VALID) return notValid(text);
      if (out !== ASK_LIBRARY) return out;
    }
    if (text.startsWith("+")) return international(text, text);
    const digits = text.replace(NOT_DIGITS, "");
    if (digits.startsWith("00")) return viaZeroZero(text, digits, code);
    return national(text, digits);
  };
}

/** A valid number as the library reads it (a default country for text without `+`), or undefined. */
function parse(text: string, country?: CountryCode): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed?.isValid() && parsed.ext === undefined ? parsed : undefined;
}

function international(text: string, plus: string): string | Invalid {
  const parsed = parse(plus);
  if (parsed !== undefined) return parsed.countryCallingCode + parsed.nationalNumber;
  return new Invalid(`${show(text)} is not a valid phone number (read as ${show(plus)})`);
}

/**
 * `00CC …`: the international prefix of most countries, read as `+CC …`. The country's own
 * international prefixes (KR `001`, `00700`: a carrier's) are read too; when both readings are
 * valid numbers and differ, the number is ambiguous, never settled by a preference.
 */
function viaZeroZero(text: string, digits: string, country: CountryCode | undefined) {
  const plus = `+${digits.slice(2)}`;
  const asPlus = international(text, plus);
  const local = country === undefined ? undefined : parse(text, country);
  const asLocal = local === undefined ? undefined : local.countryCallingCode + local.nationalNumber;
  if (asLocal === undefined || asLocal === asPlus) return asPlus;
  if (asPlus instanceof Invalid) return asLocal;
  return new Invalid(
    `${show(text)} is ambiguous: as ${show(plus)} it is ${asPlus}, with ${country}'s international prefix it is ${asLocal}`,
  );
}

/** The digits a national format puts before the national number: KR `0`, none in the US. */
function trunkPrefix(parsed: PhoneNumber): string {
  const written = parsed.formatNational().replace(NOT_DIGITS, "");
  const national = parsed.nationalNumber as string;
  return written.endsWith(national) ? written.slice(0, written.length - national.length) : "";
}

function notPhone(text: string): Invalid {
  return new Invalid(
    `${show(text)} is not a valid phone number (only digits, +, spaces, - ( ) and . are read)`,
  );
}
