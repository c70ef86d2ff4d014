/**
 * The epoch formats: seconds (`epoch_s`, luxon's `X`), milliseconds (`epoch_ms`, luxon's `x`),
 * microseconds (`epoch_us`: GA4's `event_timestamp`) or nanoseconds (`epoch_ns`) since
 * 1970-01-01T00:00:00Z, as a JSON number or as numeric text. The units cannot be mixed up: each
 * reads one band of magnitudes (a factor 1000 apart) that holds the instants from 1973 to 5138,
 * and a number in another unit's band is refused naming that unit.
 */
import { ExactNumber } from "../../util/exact-number.js";
import { Invalid, show } from "./invalid.js";

export const EPOCH_UNITS = ["epoch_s", "epoch_ms", "epoch_us", "epoch_ns"] as const;
export type EpochUnit = (typeof EPOCH_UNITS)[number];

const NAMES: Readonly<Record<EpochUnit, string>> = {
  epoch_s: "seconds",
  epoch_ms: "milliseconds",
  epoch_us: "microseconds",
  epoch_ns: "nanoseconds",
};
/** Powers of ten from the unit to milliseconds (seconds: -3). */
const SCALE: Readonly<Record<EpochUnit, number>> = {
  epoch_s: -3,
  epoch_ms: 0,
  epoch_us: 3,
  epoch_ns: 6,
};
/**
 * Where each unit's band of magnitudes ends: 10^11 s is the year 5138, 10^11 ms is 1973-03-03.
 * Seconds read everything below 10^11 (before 1970 too); beyond nanoseconds' band is no unit's.
 */
const BAND_ENDS = [1e11, 1e14, 1e17, 1e20];

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * Milliseconds since the epoch; Invalid for a magnitude of another unit; undefined when the value
 * is not a number at all (not this format's to judge).
 */
export function readEpoch(value: unknown, unit: EpochUnit): number | Invalid | undefined {
  const text =
    typeof value === "string" ? value : value instanceof ExactNumber ? value.text : undefined;
  let n: number;
  if (typeof value === "number") n = value;
  else if (text !== undefined && NUMERIC.test(text)) n = Number(text);
  else return undefined;
  if (!Number.isFinite(n)) return new Invalid(`${show(value)} is out of the Datetime range`);
  const magnitude = Math.abs(n);
  let band = 0;
  while (band < BAND_ENDS.length && magnitude >= (BAND_ENDS[band] as number)) band++;
  const index = EPOCH_UNITS.indexOf(unit);
  if (band !== index) {
    const other = EPOCH_UNITS[band];
    const small = band < index;
    return new Invalid(
      `${show(value)} is too ${small ? "small" : "large"} for epoch ${NAMES[unit]} (${small ? "before 1973" : "after the year 5138"})${other === undefined ? "" : `: is it in ${NAMES[other]} (${other})?`}`,
    );
  }
  const scale = SCALE[unit];
  // Seconds with a fraction (1660733586.123) are rounded to the millisecond they name.
  if (scale <= 0) return scale === 0 ? Math.trunc(n) : Math.round(n * 1000);
  // Whole microseconds or nanoseconds are cut to the millisecond on their text: a count of
  // nanoseconds is beyond a double's exact integers.
  if (text !== undefined && INTEGER.test(text)) return Number(text.slice(0, text.length - scale));
  return Math.trunc(n / 10 ** scale);
}
