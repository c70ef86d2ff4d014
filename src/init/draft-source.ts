/**
 * The `source` and `identity` sections of a draft: how to read the file and whose rows they are,
 * each line with the evidence it rests on. What the sample does not decide is written as a
 * `TODO_` placeholder, which fails to load until filled (src/mapping/placeholder.ts); `standIns`
 * writes a value in its place instead, for `init`'s own dry run of the draft.
 */
import type { Dialect } from "../source/dialect.js";
import type { SourceFormat } from "../source/types.js";
import type { Identities } from "./identity.js";
import type { MarkerEvidence } from "./markers.js";
import { type PhoneCountryChoice, TODO_COUNTRY } from "./phones.js";
import { TODO_TIMEZONE, type ZoneChoice } from "./zone.js";

/** How the file was read, and what was found about it. */
export interface DraftSource {
  readonly format: SourceFormat;
  readonly encoding: string;
  /** Given by --encoding (else found by strict decoding). */
  readonly encodingGiven: boolean;
  readonly delimiter?: string;
  /** The file has no header row: these generated names, and why. */
  readonly headerless?: { readonly columns: readonly string[]; readonly evidence: string };
  readonly dialect?: { readonly name: Dialect; readonly evidence: string };
  readonly zone: ZoneChoice;
  readonly markers: readonly MarkerEvidence[];
}

export const q = (text: string) => JSON.stringify(text);

/** What the dry run reads in place of a placeholder. */
const STAND_IN: Readonly<Record<string, string>> = {
  [TODO_TIMEZONE]: "UTC",
  [TODO_COUNTRY]: "KR",
};

/** A value as the draft writes it: a placeholder stays one, unless standing in for the dry run. */
export const written = (value: string, standIns: boolean) =>
  standIns ? (STAND_IN[value] ?? value) : value;

/** How the file was read, as found or given: the layout of `init` for profiles and for events. */
export type DraftReading = Omit<DraftSource, "zone" | "markers">;

/** The source section's reading lines: format, encoding, delimiter, header and dialect. */
export function readingLines(s: DraftReading): string[] {
  const lines = ["source:", `  format: ${s.format}`];
  if (s.format !== "xlsx" && (s.encoding !== "utf8" || s.encodingGiven)) {
    lines.push(
      `  encoding: ${s.encoding} # ${s.encodingGiven ? "as given by --encoding" : "found by strict decoding"}`,
    );
  }
  if (s.delimiter !== undefined) lines.push(`  delimiter: ${q(s.delimiter)}`);
  if (s.headerless !== undefined) {
    lines.push(
      `  header: false # ${s.headerless.evidence}`,
      "  # TODO: the names of the columns, in order (the ones below are generated)",
      `  columns: [${s.headerless.columns.map(q).join(", ")}]`,
    );
  }
  if (s.dialect !== undefined) lines.push(`  dialect: ${s.dialect.name} # ${s.dialect.evidence}`);
  return lines;
}

/** `source.country` for the phone identity's numbers, with its evidence; none without one. */
export function countryLines(phone: PhoneCountryChoice | undefined, standIns: boolean): string[] {
  if (phone?.kind === "code") return [`  country: ${phone.code} # ${phone.evidence}`];
  if (phone?.kind === "todo") {
    return [`  country: ${written(TODO_COUNTRY, standIns)} # ${phone.evidence}`];
  }
  if (phone?.kind === "column") {
    return [
      `  # ${phone.evidence}`,
      "  country:",
      `    column: ${q(phone.column)}`,
      `    values: { ${Object.entries(phone.values)
        .map(([cell, code]) => `${q(cell)}: ${code}`)
        .join(", ")} }`,
    ];
  }
  return [];
}

export function sourceLines(s: DraftSource, ids: Identities, standIns: boolean): string[] {
  const lines = readingLines(s);
  if (s.zone.zone !== undefined) {
    lines.push(`  timezone: ${written(s.zone.zone, standIns)} # ${s.zone.evidence}`);
  } else {
    lines.push(`  # timezone: none needed: ${s.zone.evidence}`);
  }
  lines.push(...countryLines(ids.found.find((i) => i.field === "phone_no")?.country, standIns));
  if (s.markers.length > 0) {
    const said = s.markers
      .map((m) => `${q(m.marker)} fills ${m.cells} cells of ${m.columns.length} columns`)
      .join("; ");
    lines.push(`  empty_values: [${s.markers.map((m) => q(m.marker)).join(", ")}] # ${said}`);
  }
  return lines;
}
