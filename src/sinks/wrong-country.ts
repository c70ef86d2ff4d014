/**
 * A phone column's country, probably wrong: after a dry run (init's of its draft, or a run's
 * `--dry-run`), when more than 2 % of the column's numbers were refused as numbers of the country
 * assumed and are valid numbers of another, the summary says so, naming that country and the
 * numbers. A number valid nowhere (`010-12`) is a bad number, not a wrong country, and a `+CC`
 * number is read in its own country whatever the country assumed. A refused number is read in up
 * to ten countries: only the first EXAMINED are, so a dry run of a million refusals stays cheap.
 */
import type { CountryCode } from "libphonenumber-js/max";
import type { RowFailure } from "../errors.js";
import { isInternational, validElsewhere } from "../mapping/convert/phone-reads.js";
import type { Mapping } from "../mapping/types.js";
import type { SourceFormat } from "../source/types.js";

export interface WrongCountry {
  readonly column: string;
  /** The country assumed, as the summary says it: `KR`, `their rows' countries`. */
  readonly assumed: string;
  /** The column's filled cells. */
  readonly numbers: number;
  /** Numbers without +country code refused as numbers of the country assumed. */
  readonly refused: number;
  /** Of those, the ones read in other countries (the first EXAMINED). */
  readonly examined: number;
  /** Of the examined, the valid numbers of another country. */
  readonly elsewhere: number;
  readonly countries: readonly string[];
  /** The first of them, as written. */
  readonly examples: readonly string[];
}

/** More than this share of a column's numbers valid elsewhere: the country is probably wrong. */
const REFUSED_SHARE = 0.02;
const EXAMINED = 1_000;
const SHOWN = 5;

export class PhoneCountryWatch {
  #numbers = 0;
  #refused = 0;
  #examined = 0;
  #elsewhere = 0;
  readonly #countries = new Set<CountryCode>();
  readonly #examples: string[] = [];

  /** `empties`: cells that stand for an empty one (source.empty_values). */
  constructor(
    readonly column: string,
    readonly assumed: string,
    readonly empties: ReadonlySet<string> = new Set(),
  ) {}

  /** One row: its phone cell as read, and its failure when it failed. */
  row(cell: unknown, failure?: RowFailure): void {
    if (typeof cell === "string" ? !this.#empty(cell) : cell !== undefined && cell !== null) {
      this.#numbers++;
    }
    if (failure?.errors === undefined) return;
    for (const e of failure.errors) {
      if (e.column !== this.column || e.field !== "phone_no" || typeof e.value !== "string") {
        continue;
      }
      if (isInternational(e.value)) continue;
      this.#refused++;
      if (this.#examined >= EXAMINED) continue;
      this.#examined++;
      const country = validElsewhere(e.value);
      if (country === undefined) continue;
      this.#elsewhere++;
      this.#countries.add(country);
      if (this.#examples.length < SHOWN) this.#examples.push(e.value);
    }
  }

  #empty(cell: string): boolean {
    const text = cell.trim();
    return text === "" || this.empties.has(text);
  }

  /** What the dry run showed, when the country is probably wrong; else undefined. */
  result(): WrongCountry | undefined {
    if (this.#examined === 0) return undefined;
    const elsewhere = (this.#elsewhere * this.#refused) / this.#examined;
    if (elsewhere <= this.#numbers * REFUSED_SHARE) return undefined;
    return {
      column: this.column,
      assumed: this.assumed,
      numbers: this.#numbers,
      refused: this.#refused,
      examined: this.#examined,
      elsewhere: this.#elsewhere,
      countries: [...this.#countries],
      examples: [...this.#examples],
    };
  }
}

const n = (value: number) => value.toLocaleString("en-US");

/** The summary's line: how many, of which country, examples, and what to write. */
export function wrongCountryLine(w: WrongCountry): string {
  const of = `of ${n(w.numbers)} numbers of ${JSON.stringify(w.column)}`;
  const valid = `valid numbers of ${w.countries.join(", ")}`;
  const said =
    w.examined === w.refused
      ? `${n(w.elsewhere)} ${of} are refused as numbers of ${w.assumed} but ${valid}`
      : `${n(w.refused)} ${of} are refused as numbers of ${w.assumed}, and ${n(w.elsewhere)} of the first ${n(w.examined)} of them are ${valid}`;
  const shown = w.examples.map((e) => JSON.stringify(e)).join(", ");
  return `${said}: the country is probably wrong (${shown}); write theirs in source.country`;
}

/**
 * A run's watch over its mapping's phone identity: a column read through the `phone` transform,
 * which reads numbers in a country (without it, a number is refused for its form, not its
 * country); undefined: none.
 */
export function runPhoneWatch(
  mapping: Mapping,
  format: SourceFormat,
):
  | { row(cells: unknown, failure?: RowFailure): void; result(): WrongCountry | undefined }
  | undefined {
  const rule = mapping.identity.find(
    (r) =>
      r.name === "phone_no" &&
      r.template === undefined &&
      r.expression === undefined &&
      r.transforms.includes("phone"),
  );
  if (rule === undefined) return undefined;
  const { country, emptyValues } = mapping.source;
  const assumed =
    typeof country === "string"
      ? country
      : `their rows' countries (source.country's column ${JSON.stringify(country.column)})`;
  const watch = new PhoneCountryWatch(rule.column, assumed, new Set(emptyValues));
  const read = format === "ndjson" ? rule.readJson : rule.readCsv;
  return {
    row: (cells, failure) => watch.row(read(cells as Readonly<Record<string, unknown>>), failure),
    result: () => watch.result(),
  };
}
