/**
 * The country of a phone column's numbers, from evidence only: `+CC` (and `00CC`) prefixes, the
 * national format the numbers are written in (`(415) 555-0132` and `617.253.1042` read only as
 * North American numbers, `010-1234-5678` only as Korean), and a column of countries beside them.
 * A number is read by the same `phone` transform the import uses, so a country the draft names
 * is one the import accepts the numbers in. Where the sample does not decide, the country is left
 * to the user (`TODO_country`), never assumed.
 */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { isInternational, phoneText, readsAs, TRIED } from "../mapping/convert/phone-reads.js";
import type { CountryColumn } from "./countries.js";

export const TODO_COUNTRY = "TODO_country";

/** The numbers weighed: enough to tell a country, few enough to read in every country tried. */
const WEIGHED = 300;

const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/;
const PHONE_TEXT = /^\+?[\d\s\-().]+$/;

/** A phone number's shape: `+` or a written separator or a leading 0, and 7 to 15 digits. */
export function looksLikePhone(cell: string): boolean {
  const text = phoneText(cell);
  if (!PHONE_TEXT.test(text)) return false;
  const digits = text.replace(/\D/g, "").length;
  // `+`, a leading 0, a parenthesis, or two separators: never a decimal number (`2015453.42`),
  // never a date (`2024-02-03`).
  if (DATE.test(text)) return false;
  return digits >= 7 && digits <= 15 && /^\+|^0|\(|\d[\s\-.]\d+[\s\-.]\d/.test(text);
}

/** The country of an international number, or undefined when it is no valid number. */
export function countryOfInternational(cell: string): CountryCode | undefined {
  const digits = phoneText(cell).replace(/\D/g, "");
  const plus = phoneText(cell).startsWith("+") ? phoneText(cell) : `+${digits.slice(2)}`;
  const parsed = parsePhoneNumberFromString(plus);
  return parsed?.isValid() ? (parsed.country ?? undefined) : undefined;
}

/** The cell is written exactly as `country` formats its numbers nationally (`010-1234-5678`). */
function writtenAs(cell: string, country: CountryCode): boolean {
  const parsed = parsePhoneNumberFromString(phoneText(cell), country);
  return parsed?.isValid() === true && parsed.formatNational() === phoneText(cell);
}

export type PhoneCountryChoice =
  | { readonly kind: "code"; readonly code: CountryCode; readonly evidence: string }
  | {
      readonly kind: "column";
      readonly column: string;
      readonly values: Readonly<Record<string, CountryCode>>;
      readonly evidence: string;
    }
  | { readonly kind: "todo"; readonly evidence: string };

const q = JSON.stringify;

/**
 * The country for a phone column's numbers without +country code. `cells` are the column's sample
 * cells (undefined: empty), `countries` the file's country column, row for row, if it has one.
 */
export function choosePhoneCountry(
  all: readonly (string | undefined)[],
  countries?: CountryColumn,
): PhoneCountryChoice {
  const cells = all.slice(0, WEIGHED); // each number is read in each country tried: bounded
  const national: { text: string; row: number }[] = [];
  const international = new Map<CountryCode, number>();
  cells.forEach((cell, row) => {
    if (cell === undefined || cell.trim() === "") return;
    if (!isInternational(cell)) national.push({ text: cell, row });
    else {
      const code = countryOfInternational(cell);
      if (code !== undefined) international.set(code, (international.get(code) ?? 0) + 1);
    }
  });
  const n = national.length;
  const mostInternational = [...international].sort((a, b) => b[1] - a[1])[0];

  if (countries !== undefined && n > 0) {
    const read = national.filter(({ text, row }) => {
      const code = countries.rows[row];
      return code !== undefined && readsAs(text, code);
    }).length;
    if (read >= n * 0.9) {
      const used = [...new Set(national.map(({ row }) => countries.rows[row]))].filter(
        (c): c is CountryCode => c !== undefined,
      );
      const said = `${read}/${n} numbers without +country code are valid numbers of the country column ${q(countries.column)} gives their row`;
      if (used.length === 1) {
        const code = used[0] as CountryCode;
        return { kind: "code", code, evidence: `${said}, ${code} in every one` };
      }
      return {
        kind: "column",
        column: countries.column,
        values: countries.values,
        evidence: `${said} (${used.join(", ")})`,
      };
    }
  }

  if (n === 0) {
    if (mostInternational === undefined) return { kind: "todo", evidence: "no phone number read" };
    const [code, k] = mostInternational;
    return {
      kind: "code",
      code,
      evidence: `every number carries its +country code (${k} of ${code}); one without it would be read as ${code}`,
    };
  }
  const tried = [...new Set([...international.keys(), ...TRIED])];
  const reads = tried
    .map((code) => ({ code, read: national.filter(({ text }) => readsAs(text, code)).length }))
    .sort((a, b) => b.read - a.read);
  // Several countries may read the same digits (010-1234-5678: a KR mobile, a Beijing line): the
  // one whose own national format the numbers are written in decides.
  const readers = reads.filter((r) => r.read >= n * 0.9);
  const styled = readers
    .map((r) => ({ ...r, styled: national.filter(({ text }) => writtenAs(text, r.code)).length }))
    .sort((a, b) => b.styled - a.styled);
  const [best, second] = styled;
  const example = (code: CountryCode) => q(national.find(({ text }) => readsAs(text, code))?.text);
  if (best !== undefined && second === undefined) {
    return {
      kind: "code",
      code: best.code,
      evidence: `${best.read}/${n} numbers without +country code are valid ${best.code} numbers (${example(best.code)}), of no other country`,
    };
  }
  if (
    best !== undefined &&
    second !== undefined &&
    best.styled > second.styled &&
    best.styled >= n * 0.5
  ) {
    return {
      kind: "code",
      code: best.code,
      evidence: `${best.styled}/${n} numbers without +country code are written as ${best.code} writes its numbers (${example(best.code)}); ${second.code} reads them too, but writes them otherwise`,
    };
  }
  const shown = reads
    .filter((r) => r.read > 0)
    .slice(0, 3)
    .map((r) => `${r.code} reads ${r.read}`)
    .join(", ");
  return {
    kind: "todo",
    evidence: `no one country reads the ${n} numbers written without +country code (${shown || "none reads any"})`,
  };
}
