/**
 * A column of countries (`Country/Region`, `국가`): which column it is, and each cell's two-letter
 * code, from codes (`US`, `kr`) or names in English and Korean (`United States`, `미국`, `대한민국`),
 * as Intl names them, plus the spellings exports use (`USA`, `UK`, `South Korea`).
 */
import { type CountryCode, getCountries } from "libphonenumber-js/max";
import { isPhoneCountry } from "../mapping/convert/phone.js";

const COUNTRY_NAME =
  /^(country|country ?\/ ?region|country ?code|country ?name|nation|국가|국가코드|나라)$/i;

const ALIASES: Readonly<Record<string, CountryCode>> = {
  usa: "US",
  "u.s.": "US",
  "u.s.a.": "US",
  "united states of america": "US",
  america: "US",
  uk: "GB",
  "great britain": "GB",
  england: "GB",
  korea: "KR",
  "south korea": "KR",
  "republic of korea": "KR",
  "korea, republic of": "KR",
  한국: "KR",
  남한: "KR",
};

let byName: Map<string, CountryCode> | undefined;

function names(): Map<string, CountryCode> {
  if (byName !== undefined) return byName;
  byName = new Map(Object.entries(ALIASES));
  for (const locale of ["en", "ko"]) {
    const display = new Intl.DisplayNames([locale], { type: "region" });
    for (const code of getCountries()) {
      const name = display.of(code);
      if (name !== undefined && !byName.has(name.toLowerCase()))
        byName.set(name.toLowerCase(), code);
    }
  }
  return byName;
}

/** The code a cell names (a code, or a country's name in English or Korean), or undefined. */
export function countryCodeOf(cell: string): CountryCode | undefined {
  const text = cell.trim();
  if (/^[A-Za-z]{2}$/.test(text) && isPhoneCountry(text.toUpperCase())) {
    return text.toUpperCase() as CountryCode;
  }
  return names().get(text.toLowerCase());
}

export interface CountryColumn {
  readonly column: string;
  /** Each sample row's code (undefined: empty, or a cell naming no country). */
  readonly rows: readonly (CountryCode | undefined)[];
  /** Cell → code, for every distinct cell that names a country. */
  readonly values: Readonly<Record<string, CountryCode>>;
  /** Cells naming no country. */
  readonly unknown: readonly string[];
}

/**
 * The column of countries: named so, and with at least nine in ten of its non-empty cells naming
 * a country. undefined when there is none.
 */
export function findCountryColumn(
  columns: readonly string[],
  cells: ReadonlyMap<string, readonly unknown[]>,
): CountryColumn | undefined {
  for (const column of columns) {
    if (!COUNTRY_NAME.test(column.trim())) continue;
    const raw = cells.get(column) ?? [];
    const values: Record<string, CountryCode> = {};
    const unknown = new Set<string>();
    const rows = raw.map((v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      const code = countryCodeOf(v);
      if (code === undefined) unknown.add(v.trim());
      else values[v.trim()] = code;
      return code;
    });
    const named = rows.filter((r) => r !== undefined).length;
    const filled = raw.filter((v) => typeof v === "string" && v.trim() !== "").length;
    if (filled > 0 && named >= filled * 0.9) {
      return { column, rows, values, unknown: [...unknown] };
    }
  }
  return undefined;
}
