/**
 * `source.country: { column: 국가, values: { 한국: KR, 미국: US }, default: KR }`: the country a
 * phone number without +country code is read in, per row. The cell is trimmed and looked up in
 * `values` (without `values`, it is a two-letter code such as KR or us); an empty cell takes
 * `default`. A row without a country refuses only the numbers that need one: `+1 …` needs none.
 */
import type { CountryCode } from "libphonenumber-js/max";
import { show } from "./invalid.js";
import { isPhoneCountry, makePhoneNormalizer, type NoCountry } from "./phone.js";

type Cells = Readonly<Record<string, unknown>>;

export interface CountryColumn {
  readonly column: string;
  /** Reads the column's cell from a row (a CSV header, or an NDJSON path). */
  readonly read: (cells: Cells) => unknown;
  /** Cell (trimmed) → country code. */
  readonly values?: ReadonlyMap<string, CountryCode>;
  /** For an empty cell (or one in `emptyValues`). */
  readonly default?: CountryCode;
  readonly emptyValues: readonly string[];
}

/** The country for numbers without +country code: one for the file, or a column's per row. */
export type PhoneCountry = CountryCode | CountryColumn;

/** Compiles the row's country: a code, or why there is none. */
export function rowCountry(
  spec: CountryColumn,
): (cells: Cells | undefined) => CountryCode | NoCountry {
  const { read } = spec;
  const empties: ReadonlySet<string> = new Set(spec.emptyValues.map((m) => m.trim()));
  const where = `column ${JSON.stringify(spec.column)}`;
  return (cells) => {
    const raw = cells === undefined ? undefined : read(cells);
    const text = typeof raw === "string" ? raw.trim() : raw;
    if (text === undefined || text === null || text === "" || empties.has(text as string)) {
      return spec.default ?? { why: `${where} (source.country) is empty` };
    }
    if (typeof text !== "string") return { why: `${where} (source.country) holds ${show(raw)}` };
    if (spec.values !== undefined) {
      return (
        spec.values.get(text) ?? {
          why: `${where} holds ${show(text)}, not in source.country.values`,
        }
      );
    }
    const code = text.toUpperCase();
    return isPhoneCountry(code)
      ? code
      : { why: `${where} holds ${show(text)}, not a country code such as KR` };
  };
}

/** The phone transform with the row's country: one compiled normalizer per country met. */
export function makeRowPhoneNormalizer(spec: CountryColumn) {
  const countryOf = rowCountry(spec);
  const byCountry = new Map<CountryCode, ReturnType<typeof makePhoneNormalizer>>();
  return (text: string, cells?: Cells) => {
    const country = countryOf(cells);
    if (typeof country !== "string") return makePhoneNormalizer(country)(text);
    let normalize = byCountry.get(country);
    if (normalize === undefined) {
      normalize = makePhoneNormalizer(country);
      byCountry.set(country, normalize);
    }
    return normalize(text);
  };
}
