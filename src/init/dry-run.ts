/**
 * `init`'s dry run of its profile draft on the sample, told as the events draft's is (tally.ts),
 * and for the phone column, whether the country is probably wrong, told as a run's `--dry-run`
 * tells it (sinks/wrong-country.ts): numbers refused in the country assumed but valid in another.
 */
import { applyMapping } from "../mapping/apply.js";
import type { Mapping } from "../mapping/types.js";
import { PhoneCountryWatch, wrongCountryLine } from "../sinks/wrong-country.js";
import type { Identities } from "./identity.js";
import type { PhoneCountryChoice } from "./phones.js";
import type { Sample } from "./sample.js";
import { DryRunTally } from "./tally.js";

export interface DraftDryRun {
  readonly valid: number;
  readonly lines: readonly string[];
}

/** The watch over a draft's phone column, its country as the draft writes it. */
export function draftPhoneWatch(column: string, country: PhoneCountryChoice | undefined) {
  const assumed =
    country?.kind === "code"
      ? country.code
      : country?.kind === "column"
        ? "their rows' countries"
        : "KR (the dry run's stand-in for TODO_country)";
  return new PhoneCountryWatch(column, assumed);
}

export function dryRunDraft(mapping: Mapping, sample: Sample, ids: Identities): DraftDryRun {
  const tally = new DryRunTally();
  const phone = ids.found.find((i) => i.field === "phone_no");
  const watch = phone && draftPhoneWatch(phone.column, phone.country);
  sample.rows.forEach((row, i) => {
    const result = applyMapping(mapping, { kind: "row", line: i + 2, cells: row }, sample.format);
    watch?.row(phone && row[phone.column], result.ok ? undefined : result.failure);
    if (result.ok) tally.pass();
    else tally.fail(result.failure);
  });
  const lines = tally.lines(sample.rows.length + sample.unreadable, sample.unreadable);
  const wrong = watch?.result();
  if (wrong !== undefined) lines.push(wrongCountryLine(wrong));
  return { valid: tally.valid, lines };
}
