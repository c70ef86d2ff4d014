/**
 * `format:` of a Date or Datetime property: one format or a list, each a luxon pattern or one of
 * the keywords `iso` (the default rules), `epoch_s`, `epoch_ms`, `epoch_us`, `epoch_ns` (luxon's
 * own `X` and `x` are `epoch_s` and `epoch_ms`). The user states the format; the
 * importer never guesses: with a list, a cell two formats read differently is invalid (ambiguous),
 * never settled by the order of the list.
 */
import { isRealDay } from "../../api/value-types.js";
import { didYouMean } from "../suggest.js";
import { looksLikeDate, parseDate } from "./date.js";
import {
  datetimeOf,
  isoUtc,
  localToUtc,
  looksLikeDatetime,
  makeDatetimeParser,
  offsetLookup,
  readLocal,
  wallClockMs,
} from "./datetime.js";
import { EPOCH_UNITS, type EpochUnit, readEpoch } from "./epoch.js";
import {
  checkPattern,
  compilePattern,
  NO_MATCH,
  NOT_REAL,
  type WallTime,
} from "./format-pattern.js";
import { Invalid, show } from "./invalid.js";

export const FORMAT_KEYWORDS = ["iso", ...EPOCH_UNITS] as const;
const KEYWORDS: ReadonlySet<string> = new Set(FORMAT_KEYWORDS);
/** Luxon's tokens for epoch numbers, read as the keywords they mean. */
const EPOCH_TOKENS: Readonly<Record<string, EpochUnit>> = { X: "epoch_s", x: "epoch_ms" };
const LISTED = `${FORMAT_KEYWORDS.join(", ")}, X (epoch_s), x (epoch_ms)`;
/** A word alone (`epoch_sec`, `unix`), not a pattern with separators. */
const WORD = /^[A-Za-z_]+$/;

export type DateType = "Date" | "Datetime";

/** What is wrong with one written format, or undefined when it can be used. */
export function checkFormat(format: string): string | undefined {
  if (KEYWORDS.has(format) || EPOCH_TOKENS[format] !== undefined) return undefined;
  if (format.trim() === "") return `an empty format (use a luxon pattern or one of ${LISTED})`;
  const problem = checkPattern(format);
  if (problem === undefined) return undefined;
  if (WORD.test(format)) {
    const hint = didYouMean(format, FORMAT_KEYWORDS);
    return `"${format}" is not a format keyword${hint}: the keywords are ${LISTED}; nor a luxon pattern: ${problem}`;
  }
  return `"${format}": ${problem}`;
}

/** One format's reading of a cell: the value, why it is not one, or not its shape at all. */
type Reader = (value: unknown) => string | Invalid | typeof NO_MATCH;

const MINUTE = 60_000;

/**
 * A pattern's reading of a real calendar date whose local time a clock change skips or repeats.
 * In a list of formats it still counts as a reading: it never lets another format win alone.
 */
class ClockChange extends Invalid {}

/**
 * Compiles the formats (each accepted by `checkFormat`) of a property of `type`, read in `zone`
 * when a cell has no offset. Returns DFINERY's text of the value, or Invalid.
 */
export function compileFormats(
  formats: readonly string[],
  type: DateType,
  zone: string,
): (value: unknown) => string | Invalid {
  const readers = formats.map((f) => reader(f, type, zone));
  const names = formats.map((f) => (KEYWORDS.has(f) ? f : JSON.stringify(f))).join(", ");
  const [first] = readers;
  if (readers.length === 1 && first !== undefined) {
    return (value) => {
      const out = first(value);
      if (out !== NO_MATCH) return out;
      return new Invalid(`${show(value)} does not match the format ${names}`);
    };
  }
  return (value) => {
    let found: string | undefined;
    let foundBy = 0;
    let why: Invalid | undefined;
    let clash: { by: number; why: ClockChange } | undefined; // a real date, its time not one instant
    for (let i = 0; i < readers.length; i++) {
      const out = (readers[i] as Reader)(value);
      if (out === NO_MATCH) continue;
      if (out instanceof Invalid) {
        why ??= out;
        if (out instanceof ClockChange) clash ??= { by: i, why: out };
      } else if (found === undefined) {
        found = out;
        foundBy = i;
      } else if (out !== found) {
        return new Invalid(
          `${show(value)} is ambiguous: format ${JSON.stringify(formats[foundBy])} reads ${found}, ${JSON.stringify(formats[i])} reads ${out}`,
        );
      }
    }
    if (found !== undefined && clash !== undefined) {
      // Another format reads this cell as a real calendar date too: that is ambiguity, not proof.
      return new Invalid(
        `${show(value)} is ambiguous: format ${JSON.stringify(formats[foundBy])} reads ${found}, ${JSON.stringify(formats[clash.by])} reads a real date at a time a clock change skips or repeats (${clash.why.detail})`,
      );
    }
    if (found !== undefined) return found;
    return why ?? new Invalid(`${show(value)} matches none of the formats ${names}`);
  };
}

function reader(format: string, type: DateType, zone: string): Reader {
  if (format === "iso") return isoReader(type, zone);
  const unit =
    EPOCH_TOKENS[format] ?? (EPOCH_UNITS.includes(format as EpochUnit) ? format : undefined);
  if (unit !== undefined) return epochReader(unit as EpochUnit, type, zone);
  const parse = compilePattern(format);
  const toValue = type === "Date" ? dateOf : datetimeFrom(zone);
  return (value) => {
    const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
    const wall = parse(text);
    if (wall === NO_MATCH) return NO_MATCH;
    if (wall === NOT_REAL) {
      return new Invalid(
        `${show(value)} is not a real ${type === "Date" ? "date" : "date-time"} (format ${JSON.stringify(format)})`,
      );
    }
    return toValue(text, wall);
  };
}

/** A Date from a pattern: the calendar date as written (with a time, that local time's date). */
function dateOf(text: string, w: WallTime): string | Invalid {
  if (!isRealDay(w.y, w.mo, w.d)) return new Invalid(`${show(text)} is not a real day`);
  if (w.y > 9999) return new Invalid(`${show(text)} is out of the Date range (years 0100–9999)`);
  return `${String(w.y).padStart(4, "0")}-${w.mo < 10 ? "0" : ""}${w.mo}-${w.d < 10 ? "0" : ""}${w.d}`;
}

function datetimeFrom(zone: string): (text: string, w: WallTime) => string | Invalid {
  const toUtc = localToUtc(zone);
  return (text, w) => {
    const wall = wallClockMs(w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms);
    if (w.offset !== undefined) return datetimeOf(text, wall - w.offset * MINUTE);
    const utc = readLocal(text, wall, toUtc, zone);
    return utc instanceof Invalid ? new ClockChange(utc.detail) : datetimeOf(text, utc);
  };
}

/** `iso`: the default rules; text of another shape is not theirs to judge in a list. */
function isoReader(type: DateType, zone: string): Reader {
  const parse = type === "Date" ? parseDate : makeDatetimeParser(zone);
  const looks = type === "Date" ? looksLikeDate : looksLikeDatetime;
  return (value) => {
    if (typeof value !== "string") return NO_MATCH;
    const out = parse(value);
    return out instanceof Invalid && !looks(value) ? NO_MATCH : out;
  };
}

/** Epoch numbers; a Date takes the calendar date of the instant in the source's zone. */
function epochReader(unit: EpochUnit, type: DateType, zone: string): Reader {
  const offsets = offsetLookup(zone);
  return (value) => {
    const ms = readEpoch(value, unit);
    if (ms === undefined) return NO_MATCH;
    if (ms instanceof Invalid) return ms;
    const utc = datetimeOf(value, ms);
    if (type === "Datetime" || utc instanceof Invalid) return utc;
    return isoUtc(ms + offsets.at(ms) * MINUTE).slice(0, 10);
  };
}
