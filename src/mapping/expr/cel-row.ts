/**
 * What an expression sees of a record. CEL types its numbers: an int is a BigInt, a double a JS
 * number, and JSON has one kind of number. A record's numbers (a workbook's number cells too) are
 * given to CEL as a user reads them: an integer (`2`, `1717900000000`, a 64-bit id within int64)
 * as an int, so `row.n + 1` is `n + 1`; any other number as a double; a number beyond int64 or a
 * double's digits (ExactNumber) as its own type, which keeps its digits (`string(row.id)`, or the
 * value as is). JSON cannot tell `3.0` from `3`: both are the int 3.
 *
 * Only what the expression reads is converted: when it reads `row` by literal keys only
 * (`row.qty`, `row['상품가격']`, `has(row.x)`), CEL gets a record of those keys, each value
 * converted whole; otherwise (or when it reads `rows`) the records are converted whole.
 */
import { ExactNumber } from "../../util/exact-number.js";
import type { Reads } from "./reads.js";

type Cells = Readonly<Record<string, unknown>>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^-?\d+$/;

/** A value of a record as CEL takes it (see above); texts, booleans and null as they are. */
export function toCel(value: unknown): unknown {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof ExactNumber) return exactToCel(value);
  if (Array.isArray(value)) return value.map(toCel);
  // A JSON object is copied with its numbers converted; any other (a workbook's date) as it is.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = toCel((value as Cells)[key]);
  return out;
}

function exactToCel(n: ExactNumber): unknown {
  if (!INTEGER.test(n.text)) return n;
  const int = BigInt(n.text);
  return int >= INT64_MIN && int <= INT64_MAX ? int : n;
}

const NO_ROWS: readonly unknown[] = Object.freeze([]);

/** Compiles, from what an expression reads, the variables it is evaluated with for a record. */
export function celContext({
  rowKeys,
  wholeRow,
  usesRows,
}: Reads): (row: Cells, rows: readonly Cells[] | undefined) => { row: unknown; rows: unknown } {
  const view = wholeRow
    ? toCel
    : (row: Cells) => {
        const out: Record<string, unknown> = {};
        for (const key of rowKeys) if (Object.hasOwn(row, key)) out[key] = toCel(row[key]);
        return out;
      };
  if (!usesRows) return (row) => ({ row: view(row), rows: NO_ROWS });
  return (row, rows) => ({ row: view(row), rows: (rows ?? [row]).map(toCel) });
}
