/**
 * The `epoch_s` and `epoch_ms` formats: seconds or milliseconds since 1970-01-01T00:00:00Z, as a
 * JSON number or as numeric text. The two cannot be mixed up: a magnitude of 10^11 or more is
 * milliseconds (10^11 ms is 1973-03-03), anything below is seconds (10^11 s is the year 5138).
 */
import { Invalid, show } from "./invalid.js";

export type EpochUnit = "epoch_s" | "epoch_ms";

const SPLIT = 1e11;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/**
 * Milliseconds since the epoch; Invalid for the wrong magnitude; undefined when the value is not
 * a number at all (not this format's to judge).
 */
export function readEpoch(value: unknown, unit: EpochUnit): number | Invalid | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && NUMERIC.test(value)) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n)) return new Invalid(`${show(value)} is out of the Datetime range`);
  const magnitude = Math.abs(n);
  if (unit === "epoch_ms" && magnitude < SPLIT) {
    return new Invalid(
      `${show(value)} is too small for epoch milliseconds (below 10^11, before 1973-03-03): is it in seconds (epoch_s)?`,
    );
  }
  if (unit === "epoch_s" && magnitude >= SPLIT) {
    return new Invalid(
      `${show(value)} is too large for epoch seconds (10^11 or more, after the year 5138): is it in milliseconds (epoch_ms)?`,
    );
  }
  // Seconds with a fraction (1660733586.123) are rounded to the millisecond they name.
  return unit === "epoch_s" ? Math.round(n * 1000) : Math.trunc(n);
}
