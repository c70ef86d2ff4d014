import { Invalid, show } from "./invalid.js";

/**
 * The only spellings read as a Boolean. Consent flags are Booleans, and a wrong `true` sends ads
 * to someone who said no: anything not listed here is invalid, never a guess.
 */
const SPELLINGS = new Map<string, boolean>([
  ["true", true],
  ["t", true],
  ["1", true],
  ["y", true],
  ["yes", true],
  ["예", true],
  ["false", false],
  ["f", false],
  ["0", false],
  ["n", false],
  ["no", false],
  ["아니오", false],
  ["아니요", false],
]);

export const BOOLEAN_EXPECTED = "expected true/false, yes/no, y/n, 1/0, 예/아니오";

/** A Boolean from trimmed text, case-insensitive. */
export function parseBoolean(text: string): boolean | Invalid {
  const value = SPELLINGS.get(text.toLowerCase());
  return value ?? new Invalid(`${show(text)} is not a Boolean (${BOOLEAN_EXPECTED})`);
}

/** A Boolean from a cell: text as `parseBoolean`, JSON true/false as is, JSON 1/0. */
export function toBoolean(value: unknown): boolean | Invalid {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return parseBoolean(value);
  if (value === 1) return true;
  if (value === 0) return false;
  return new Invalid(`${show(value)} is not a Boolean (${BOOLEAN_EXPECTED})`);
}
