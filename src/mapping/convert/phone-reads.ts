/**
 * Which countries read a phone cell as one of their valid numbers, by the import's own `phone`
 * transform: what `init` weighs to choose a phone column's country, and what tells, after a dry
 * run (init's of its draft, or a run's `--dry-run`), that numbers refused in the country assumed
 * are valid numbers of another, so the country is probably wrong.
 */
import type { CountryCode } from "libphonenumber-js/max";
import type { Invalid } from "./invalid.js";
import { makePhoneNormalizer } from "./phone.js";

/** The countries tried for numbers written without +country code, beside those a file names. */
export const TRIED: readonly CountryCode[] = [
  "KR",
  "US",
  "JP",
  "CN",
  "GB",
  "DE",
  "FR",
  "AU",
  "SG",
  "VN",
];

/** The cell as the phone transform reads it: trimmed, Excel's text apostrophe dropped. */
export function phoneText(cell: string): string {
  return cell.trim().replace(/^'/, "");
}

/** Written with `+CC` or `00CC`: read in its own country, whatever the country assumed. */
export function isInternational(cell: string): boolean {
  const text = phoneText(cell);
  return text.startsWith("+") || /^00[1-9]/.test(text.replace(/\D/g, ""));
}

const normalizers = new Map<CountryCode, (text: string) => string | Invalid>();

/** True when the import's `phone` transform reads the cell as a valid number of `country`. */
export function readsAs(cell: string, country: CountryCode): boolean {
  let normalize = normalizers.get(country);
  if (normalize === undefined) {
    normalize = makePhoneNormalizer(country);
    normalizers.set(country, normalize);
  }
  return typeof normalize(phoneText(cell)) === "string";
}

/** A country tried that reads the cell as one of its valid numbers, or undefined: none does. */
export function validElsewhere(cell: string): CountryCode | undefined {
  return TRIED.find((code) => readsAs(cell, code));
}
