/**
 * `init`'s dry run of its profile draft on the sample, told as the events draft's is (tally.ts),
 * and for the phone column, whether the country is probably wrong: when more than 2 % of its
 * numbers are refused in the country assumed and valid in another, the summary says so, naming
 * them and the country they are valid in. A number valid nowhere (`010-12`) is a bad number, not a
 * wrong country, and a +CC number is read in its own country whatever the draft says.
 */
import type { CountryCode } from "libphonenumber-js/max";
import type { RowFailure } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import type { Mapping } from "../mapping/types.js";
import type { Identities } from "./identity.js";
import { isInternational, validElsewhere } from "./phones.js";
import type { Sample } from "./sample.js";
import { DryRunTally } from "./tally.js";

export interface DraftDryRun {
  readonly valid: number;
  readonly lines: readonly string[];
}

const PHONE_REFUSED_SHARE = 0.02;

export function dryRunDraft(mapping: Mapping, sample: Sample, ids: Identities): DraftDryRun {
  const tally = new DryRunTally();
  const phone = ids.found.find((i) => i.field === "phone_no");
  const elsewhere: { text: string; country: CountryCode }[] = [];
  let phones = 0;
  const refusedPhones = (failure: RowFailure) => {
    for (const e of failure.errors ?? []) {
      if (e.column !== phone?.column || e.field !== "phone_no" || typeof e.value !== "string") {
        continue;
      }
      const country = isInternational(e.value) ? undefined : validElsewhere(e.value);
      if (country !== undefined) elsewhere.push({ text: e.value, country });
    }
  };
  sample.rows.forEach((row, i) => {
    if (phone !== undefined) {
      const cell = row[phone.column];
      if (typeof cell === "string" ? cell.trim() !== "" : cell !== undefined && cell !== null)
        phones++;
    }
    const result = applyMapping(mapping, { kind: "row", line: i + 2, cells: row }, sample.format);
    if (result.ok) tally.pass();
    else {
      tally.fail(result.failure);
      refusedPhones(result.failure);
    }
  });
  const lines = tally.lines(sample.rows.length + sample.unreadable, sample.unreadable);
  if (phone !== undefined && elsewhere.length > phones * PHONE_REFUSED_SHARE) {
    const assumed =
      phone.country?.kind === "code"
        ? phone.country.code
        : phone.country?.kind === "column"
          ? "their rows' countries"
          : "KR (the dry run's stand-in for TODO_country)";
    const countries = [...new Set(elsewhere.map((e) => e.country))].join(", ");
    const shown = elsewhere
      .slice(0, 5)
      .map((e) => JSON.stringify(e.text))
      .join(", ");
    lines.push(
      `${elsewhere.length} of ${phones} numbers of ${JSON.stringify(phone.column)} are refused as numbers of ${assumed} but valid numbers of ${countries}: the country is probably wrong (${shown}); write theirs in source.country`,
    );
  }
  return { valid: tally.valid, lines };
}
