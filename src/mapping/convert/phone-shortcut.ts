/**
 * A fast path of the `phone` transform for the common case: a national number in ASCII digits with
 * `-` or space between groups. It takes libphonenumber-js's path (`parse` with a default country,
 * then `isValid` on the max metadata) step by step with the library's own metadata, minus the costly
 * generic parts (option spreading, one RegExp built per pattern test): about 20 µs a number less.
 * test/mapping/convert/phone.test.ts compares it with the library on every country.
 */
import { type CountryCode, Metadata } from "libphonenumber-js/max";

export const ASK_LIBRARY = 0;
export const NOT_VALID = 1;
export type Shortcut = (text: string) => string | typeof ASK_LIBRARY | typeof NOT_VALID;

interface TypeMetadata {
  pattern(): string;
  possibleLengths(): readonly number[] | undefined;
}

/** The runtime side of libphonenumber-js's Metadata that its typings leave out. */
interface PlanMetadata {
  selectNumberingPlan(country: CountryCode): void;
  getCountryCodesForCallingCode(callingCode: string): readonly string[] | undefined;
  numberingPlan?: {
    callingCode(): string;
    IDDPrefix(): string | undefined;
    nationalNumberPattern(): string;
    possibleLengths(): readonly number[] | undefined;
    nationalPrefixForParsing(): string | number | undefined;
    hasTypes(): boolean;
    type(name: string): TypeMetadata | undefined;
    formats(): readonly { usesNationalPrefix(): boolean }[];
  };
}

/**
 * Whether a national format of the country writes a trunk prefix (KR `0…`; the US writes none),
 * so the transform's trunk rule has a prefix to look for; true when the metadata cannot tell.
 */
export function writesTrunkPrefix(country: CountryCode): boolean {
  try {
    const metadata = new Metadata() as unknown as PlanMetadata;
    metadata.selectNumberingPlan(country);
    const formats = metadata.numberingPlan?.formats();
    return formats === undefined || formats.some((f) => f.usesNationalPrefix());
  } catch {
    return true; // a library whose metadata API changed: always look
  }
}

/** The number types libphonenumber-js's getNumberType tries: a valid number is of one of them. */
const TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "TOLL_FREE",
  "PREMIUM_RATE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

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
 * The shortcut of a country, or undefined where the library's path is not simple: a country that
 * shares its calling code. It answers ASK_LIBRARY for a number that starts with `00`, an
 * international prefix or the calling code, that has a carrier code, or that is written without
 * the national prefix (the transform's trunk rule needs the library's national format for those).
 */
export function nationalShortcut(country: CountryCode): Shortcut | undefined {
  let plan: PlanMetadata["numberingPlan"];
  let alone = false;
  try {
    const metadata = new Metadata() as unknown as PlanMetadata;
    metadata.selectNumberingPlan(country);
    plan = metadata.numberingPlan;
    if (plan === undefined) return undefined;
    const countries = metadata.getCountryCodesForCallingCode(plan.callingCode());
    alone = countries !== undefined && countries.length === 1 && countries[0] === country;
  } catch {
    return undefined; // a library whose metadata API changed: always ask the library
  }
  const callingCode = plan.callingCode();
  const iddPrefix = plan.IDDPrefix();
  const pattern = plan.nationalNumberPattern();
  const lengths = plan.possibleLengths();
  const prefixForParsing = plan.nationalPrefixForParsing();
  if (!alone || typeof callingCode !== "string" || callingCode === "") return undefined;
  if (typeof iddPrefix !== "string" || typeof pattern !== "string") return undefined;
  if (lengths === undefined || lengths.length === 0) return undefined;
  const shortest = lengths[0] as number;
  const longest = lengths[lengths.length - 1] as number;

  const idd = new RegExp(iddPrefix);
  const valid = new RegExp(`^(?:${pattern})$`);
  const ofType = typeTest(plan);
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
    if (digits.length < 3 || digits.startsWith("00")) return ASK_LIBRARY;
    // extractCountryCallingCode: an international prefix, or the calling code without `+`.
    if (digits.search(idd) === 0 || digits.startsWith(callingCode)) return ASK_LIBRARY;
    // extractNationalNumber: strip the national prefix unless that makes a worse number.
    let national = digits;
    if (prefix !== undefined) {
      const match = prefix.exec(digits);
      if (match === null) return ASK_LIBRARY; // written without its national prefix
      const groups = match.length - 1;
      if (groups > 0 && match[groups]) return ASK_LIBRARY; // a carrier code or a transform
      const stripped = digits.slice(match[0].length);
      if (stripped === digits) return ASK_LIBRARY;
      const keep =
        (valid.test(digits) && !valid.test(stripped)) || !possibleLength(stripped.length);
      if (keep) return ASK_LIBRARY;
      national = stripped;
    }
    if (national.length < MIN_NSN || national.length > MAX_NSN) return NOT_VALID;
    return valid.test(national) && ofType(national) ? callingCode + national : NOT_VALID;
  };
}

/**
 * isValid's test on the max metadata: the number is of one of the types (getNumberType's
 * isNumberTypeEqualTo: the type's lengths, then its pattern). Without types, any number is.
 */
function typeTest(plan: NonNullable<PlanMetadata["numberingPlan"]>): (national: string) => boolean {
  if (!plan.hasTypes()) return () => true;
  const types: { lengths: readonly number[] | undefined; pattern: RegExp }[] = [];
  for (const name of TYPES) {
    const type = plan.type(name);
    const pattern = type?.pattern();
    if (type === undefined || !pattern) continue;
    types.push({ lengths: type.possibleLengths(), pattern: new RegExp(`^(?:${pattern})$`) });
  }
  return (national) =>
    types.some(
      (t) =>
        (t.lengths === undefined || t.lengths.indexOf(national.length) >= 0) &&
        t.pattern.test(national),
    );
}
