/**
 * Whose event a row is: the identity column that repeats across orders and events. The header says
 * whose id it is as it does for a profile draft (identity.ts: `user_id`, `customer_id`, `구매자ID`,
 * `회원아이디`, …), read as an event file's: a member's id before a browser's or app's own id
 * (`user_pseudo_id`), which is the person only when no member id is filled in half the rows, and a
 * bare `id` is the event's or the line's. A column with a different value on every row (an order
 * line's number `상품주문번호`, an event's uuid) is the row's or the event's id, never a person.
 * Without such a header, an e-mail or phone column the profile draft finds (a phone with the
 * country of its numbers, which the draft writes as source.country), if it repeats; else a TODO_.
 */
import type { IdentityField } from "../../api/dfinery.js";
import type { Transform } from "../../mapping/convert/transform.js";
import { findCountryColumn } from "../countries.js";
import { findIdentities, personIdHeader } from "../identity.js";
import type { PhoneCountryChoice } from "../phones.js";
import { type EventColumns, filled, pct } from "./columns.js";
import { labelOf } from "./words.js";

export type Person =
  | {
      readonly field: IdentityField;
      readonly column: string;
      readonly transform: readonly Transform[];
      readonly evidence: readonly string[];
      /** phone_no: the country of its numbers without +country code. */
      readonly country?: PhoneCountryChoice;
    }
  | { readonly field: undefined; readonly evidence: readonly string[] };

interface Candidate {
  readonly column: string;
  readonly tier: 0 | 1;
  readonly filled: number;
  readonly distinct: number;
}

export function findPerson(columns: EventColumns): Person {
  const rows = columns.sample.rows.length;
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  for (const column of columns.names) {
    const named = personIdHeader(labelOf(column), true);
    if (named === undefined) continue;
    const tier = named === "member" ? 0 : 1;
    const values = filled(columns.cells.get(column) ?? []);
    if (values.length === 0) continue;
    const distinct = new Set(values).size;
    if (distinct === values.length && values.length > 1) {
      notes.push(
        `${JSON.stringify(column)} is named like a person's id but has a different value on each of its ${values.length} sample rows: it names the row or the event, not a person`,
      );
      continue;
    }
    candidates.push({ column, tier, filled: values.length, distinct });
  }
  // A member id filled in at least half the rows, else the best filled of the others.
  const ranked = candidates.sort(
    (a, b) =>
      Number(b.tier === 0 && b.filled >= rows / 2) - Number(a.tier === 0 && a.filled >= rows / 2) ||
      b.filled - a.filled ||
      a.tier - b.tier,
  );
  const best = ranked[0];
  if (best !== undefined) {
    const evidence = [
      `the person: ${JSON.stringify(best.column)} is named like ${best.tier === 0 ? "a member's id" : "a browser's or app's own id"} and repeats across events (${best.distinct} people in ${best.filled} sample rows)`,
      ...(best.tier === 1
        ? [
            "it is not a member id: one person on two devices or browsers is two people here; if the export has the member's id, use that column",
          ]
        : []),
      ...(best.filled < rows
        ? [
            `empty in ${pct(rows - best.filled, rows)} of the sample rows: those fail (no identity) unless a where leaves them out`,
          ]
        : []),
      ...notes,
    ];
    return { field: "external_id", column: best.column, transform: [], evidence };
  }
  const countries = findCountryColumn(columns.names, columns.cells);
  const other = findIdentities(columns.names, columns.cells, countries, true).found.find(
    (id) => id.field !== "external_id" && repeats(columns, id.column),
  );
  if (other !== undefined) {
    return {
      field: other.field,
      column: other.column,
      transform: other.transform,
      ...(other.country === undefined ? {} : { country: other.country }),
      evidence: [
        `the person: no member id column; ${JSON.stringify(other.column)} repeats across events and ${other.evidence}`,
        ...notes,
      ],
    };
  }
  return {
    field: undefined,
    evidence: [
      "TODO: no column is named like a person's id (user_id, customer_id, 구매자ID, 회원아이디, …) and repeats across events: write the column of the member's id",
      ...notes,
    ],
  };
}

function repeats(columns: EventColumns, column: string): boolean {
  const values = filled(columns.cells.get(column) ?? []);
  return new Set(values).size < values.length;
}
