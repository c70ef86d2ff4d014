import {
  type CountryCode,
  isSupportedCountry,
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
 */
export function makePhoneNormalizer(country: CountryCode): (text: string) => string | Invalid {
  return (text) => {
    const parsed = PHONE_CHARS.test(text) ? parsePhoneNumberFromString(text, country) : undefined;
    if (parsed === undefined || !parsed.isValid() || parsed.ext !== undefined) {
      return new Invalid(`${show(text)} is not a valid phone number (default country ${country})`);
    }
    return parsed.countryCallingCode + parsed.nationalNumber;
  };
}
