/**
 * Dates in a workbook: Excel holds a date as a number (days since its epoch, the time of day as
 * the fraction) and tells it from a number only by the cell's number format. This file says which
 * formats are dates or times, and turns a serial number into the wall-clock reading Excel shows,
 * in the workbook's date system (1900, with its phantom 29 February, or 1904).
 */
import { SheetDate } from "../util/sheet-values.js";

/** How a number format shows a number: as a date (maybe with a time), a time of day, a duration. */
export type DateKind = "date" | "time" | "elapsed";

/**
 * Built-in format ids (ECMA-376 18.8.30, and the ids East Asian Excel gives its own date
 * formats: 27-36, 50-58) that show dates or times.
 */
const BUILTIN: ReadonlyMap<number, DateKind> = new Map<number, DateKind>([
  ...[14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36].map((id) => [id, "date"] as const),
  ...[50, 51, 52, 53, 54, 55, 56, 57, 58].map((id) => [id, "date"] as const),
  ...[18, 19, 20, 21, 32, 33, 45, 47].map((id) => [id, "time"] as const),
  [46, "elapsed"],
]);

/** The kind of a built-in format id, or of a custom format's code. */
export function dateKind(id: number, code: string | undefined): DateKind | undefined {
  if (code === undefined) return BUILTIN.get(id);
  return codeKind(code);
}

/**
 * A format code shows a date when its first section, without quoted text, escapes, fills,
 * colours, conditions and locale tags, has date or time letters. `m` alone is a month, next to
 * `h` or `s` a minute: a code with `h` or `s` and no `y` or `d` is a time.
 */
function codeKind(code: string): DateKind | undefined {
  const first = code.split(";")[0] ?? "";
  const elapsed = /\[(?:h+|m+|s+)\]/i.test(first);
  const bare = first
    .replace(/"[^"]*"/g, "")
    .replace(/\\.|_.|\*./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/am\/pm|a\/p/gi, "")
    .toLowerCase();
  if (bare.includes("general")) return undefined;
  if (elapsed) return "elapsed";
  if (/[ydg]/.test(bare)) return "date"; // g: a Japanese era

  if (/[hs]/.test(bare)) return "time";
  if (bare.includes("m")) return "date";
  return undefined;
}

const DAY = 86_400_000;
/** 9999-12-31, the last day Excel has, in either system (1900 serial numbers). */
const LAST_SERIAL = 2_958_465;

/**
 * The value of a number cell formatted as `kind`: a SheetDate for a date; for a time of day or a
 * duration, its text (`09:30:00`, `36:15:00`); the number itself when it is no date Excel can
 * show (negative, or past 9999).
 */
export function dateValue(
  serial: number,
  kind: DateKind,
  date1904: boolean,
): SheetDate | string | number {
  if (!(serial >= 0) || serial > LAST_SERIAL) return serial;
  if (kind !== "date") return timeText(serial, kind === "elapsed");
  // 1900: serial 1 is 1900-01-01 and 60 the 29 February 1900 that never was (Lotus's leap year);
  // from 61 (1 March) days count from 1899-12-30. 1904: serial 0 is 1904-01-01.
  const epoch = date1904 ? 24_107 : serial < 61 ? 25_568 : 25_569;
  return new SheetDate(Math.round((serial - epoch) * DAY));
}

function timeText(serial: number, elapsed: boolean): string {
  const total = Math.round(serial * 86_400);
  const seconds = elapsed ? total : total % 86_400;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}
