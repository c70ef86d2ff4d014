/**
 * Identity values are checked, not just present: an identifier DFINERY merges profiles on must be
 * a real one. A bad value dead-letters its row (INVALID_IDENTITY), never goes out; a user who means
 * "no identifier" says so with `empty_values`.
 */
import type { IdentityField } from "../api/dfinery.js";
import type { CellConverter } from "./convert/cell.js";
import { Invalid, show } from "./convert/invalid.js";
import type { Transform } from "./types.js";

/**
 * An address as WHATWG's `input type=email` defines it, with letters of any script in the domain
 * (한국.kr), and a dot in the domain: DFINERY delivers mail, so `user@localhost` is not one.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+$/u;

/** Digits only, 8 to 15 of them (E.164's length without the +). */
const PHONE_DIGITS = /^\d{8,15}$/;

/** What exports write for "no value", which must never become a shared identifier. */
const MARKER_LIST = ["null", "undefined", "nan", "none", "nil", "n/a", "#n/a", "-", "--", "\\n"];
const MARKERS: ReadonlySet<string> = new Set(MARKER_LIST);
/** Longer values are no marker: they are not lowercased to be looked up (every identity value is). */
const LONGEST_MARKER = Math.max(...MARKER_LIST.map((m) => m.length));

/** Why `value` cannot be the identifier `field`, or undefined when it can. */
export function identityProblem(
  field: IdentityField,
  value: string,
  transforms: readonly Transform[],
): string | undefined {
  if (value.length <= LONGEST_MARKER && MARKERS.has(value.toLowerCase())) {
    return `${show(value)} is a "no value" marker, not an identifier (list it in empty_values to read it as absent)`;
  }
  if (field === "email" && !EMAIL.test(value)) {
    return `${show(value)} is not an e-mail address`;
  }
  if (field === "phone_no" && !transforms.includes("phone") && !PHONE_DIGITS.test(value)) {
    return `${show(value)} is not a phone number: expected 8 to 15 digits (or add transform: [phone])`;
  }
  return undefined;
}

/**
 * An identity field's converter, whose every value is checked (and whose failures are named so).
 * `parts`: a template's check of the row's parts (template.ts, separatorCheck).
 */
export function checkedIdentity(
  convert: CellConverter,
  field: IdentityField,
  transforms: readonly Transform[],
  parts?: (cells: Readonly<Record<string, unknown>>) => string | undefined,
): CellConverter {
  const checked: CellConverter = (raw, cells) => {
    const value = convert(raw, cells);
    if (value instanceof Invalid) return new Invalid(value.detail, "INVALID_IDENTITY");
    if (typeof value !== "string") return value;
    const problem =
      (parts !== undefined && cells !== undefined ? parts(cells) : undefined) ??
      identityProblem(field, value, transforms);
    return problem === undefined ? value : new Invalid(problem, "INVALID_IDENTITY");
  };
  // Only a template's parts and `phone` (a per-row country) read the row beyond the cell.
  if (parts !== undefined || transforms.includes("phone")) return checked;
  // The cell alone decides: the answer for the cell before is kept for the next row that has the
  // same text (an events file comes user by user: its rows read one value again and again).
  let lastRaw: string | undefined;
  let lastOut: ReturnType<CellConverter>;
  return (raw, cells) => {
    if (typeof raw !== "string") return checked(raw, cells);
    if (raw !== lastRaw) {
      lastOut = checked(raw, cells);
      lastRaw = raw;
    }
    return lastOut;
  };
}
