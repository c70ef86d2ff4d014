/**
 * `init`'s dry run of its profile draft on the sample, told as the events draft's is (tally.ts),
 * and for the phone column, whether the country is probably wrong: a draft that refuses more than
 * 2 % of a phone column's numbers written without +country code says so, naming some of them.
 */
import type { RowFailure } from "../errors.js";
import { applyMapping } from "../mapping/apply.js";
import type { Mapping } from "../mapping/types.js";
import type { Identities } from "./identity.js";
import { isInternational } from "./phones.js";
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
  const refused: string[] = [];
  let phones = 0;
  const refusedPhones = (failure: RowFailure) => {
    for (const e of failure.errors ?? []) {
      // A +CC number refused is a bad number, not a wrong country.
      const national = typeof e.value === "string" && !isInternational(e.value);
      if (e.column === phone?.column && e.field === "phone_no" && national) {
        refused.push(e.value as string);
      }
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
  if (phone !== undefined && refused.length > phones * PHONE_REFUSED_SHARE) {
    const country =
      phone.country?.kind === "code"
        ? phone.country.code
        : phone.country?.kind === "column"
          ? "the rows' countries"
          : "KR (the dry run's stand-in for TODO_country)";
    const shown = refused
      .slice(0, 5)
      .map((v) => JSON.stringify(v))
      .join(", ");
    lines.push(
      `${refused.length} of ${phones} numbers of ${JSON.stringify(phone.column)} are refused as numbers of ${country}: the country is probably wrong (${shown}); set source.country to theirs`,
    );
  }
  return { valid: tally.valid, lines };
}
