/**
 * What a conversion returns when it cannot convert: never a guess, always the reason.
 * Conversions return the value itself on success (no wrapper object per cell), an `Invalid`
 * on failure, and `EMPTY` for a cell that has no value.
 */

export type InvalidCode =
  | "INVALID_VALUE"
  | "UNMAPPED_VALUE"
  | "INVALID_IDENTITY"
  | "EXPRESSION_FAILED";

export class Invalid {
  constructor(
    /** The bad value and what was expected: `"maybe" is not a Boolean (expected …)`. */
    readonly detail: string,
    readonly code: InvalidCode = "INVALID_VALUE",
  ) {}
}

/** The cell is absent or empty: the property is left out (or set to null with `empty: null`). */
export const EMPTY: unique symbol = Symbol("empty");
export type Empty = typeof EMPTY;

import { ExactNumber } from "../../util/exact-number.js";

const MAX_SHOWN = 40;

/** A value as it appears in a message: quoted, truncated when long. */
export function show(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    const more = value.length > MAX_SHOWN ? ` (${value.length} chars)` : "";
    return `${JSON.stringify(cut)}${more}`;
  }
  if (value instanceof ExactNumber) return value.text;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}
