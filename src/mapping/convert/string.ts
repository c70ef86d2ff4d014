import { GENDER_VALUES } from "../../api/dfinery.js";
import { ExactNumber } from "../../util/exact-number.js";
import { Invalid, show } from "./invalid.js";

/**
 * A String from a cell: text as is; from NDJSON a number or boolean is written out as text, except
 * an integer too large to be exact.
 */
export function toText(value: unknown): string | Invalid {
  if (typeof value === "string") return value;
  if (value instanceof ExactNumber) return value.text; // a 64-bit id keeps its digits
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    // JSON.parse has already rounded it: 12345678901234567890 arrives as …67000, a different id.
    return new Invalid(
      `${show(value)} is beyond the exact range of a JSON number (write it as a string)`,
    );
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return new Invalid(`${show(value)} is not a String (expected text, a number or true/false)`);
}

const GENDERS: ReadonlySet<string> = new Set(GENDER_VALUES);
export const GENDER_EXPECTED = `expected one of ${GENDER_VALUES.join(", ")}; map other spellings with values:`;

/** `df_gender`: a String that must be one of DFINERY's gender values, exactly. */
export function toGender(value: unknown): string | Invalid {
  const text = toText(value);
  if (typeof text !== "string" || GENDERS.has(text)) return text;
  return new Invalid(`${show(text)} is not a df_gender value (${GENDER_EXPECTED})`);
}

export function isGender(value: unknown): boolean {
  return typeof value === "string" && GENDERS.has(value);
}
