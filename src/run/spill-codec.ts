/**
 * How a spilled row's cells are written to the scratch database and read back (spill.ts), so that
 * they come back as the source gave them: NDJSON keeps its numbers beyond a double's digits
 * (ExactNumber), a workbook its date and error cells (SheetDate, SheetError), CSV its strings.
 */
import type { SourceFormat } from "../source/types.js";
import { parseJson, stringifyExactly } from "../util/exact-number.js";
import { SheetDate, SheetError } from "../util/sheet-values.js";

export interface SpillCodec {
  write(value: unknown): string;
  read(text: string): unknown;
}

const PLAIN: SpillCodec = {
  write: (value) => JSON.stringify(value),
  read: (text) => JSON.parse(text),
};

const EXACT: SpillCodec = { write: stringifyExactly, read: parseJson };

/** A workbook's cells are flat: a date or error cell is written as `{"$d": ms}` or `{"$e": code}`. */
const SHEET: SpillCodec = {
  write: (value) =>
    JSON.stringify(value, function tag(this: Record<string, unknown>, key, written: unknown) {
      const cell = key === "" ? undefined : this[key];
      if (cell instanceof SheetDate) return { $d: cell.wallMs };
      if (cell instanceof SheetError) return { $e: cell.code };
      return written;
    }),
  read: (text) =>
    JSON.parse(text, (_key, value: unknown) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      const tagged = value as { $d?: number; $e?: string };
      if (typeof tagged.$d === "number") return new SheetDate(tagged.$d);
      if (typeof tagged.$e === "string") return new SheetError(tagged.$e);
      return value;
    }),
};

export function spillCodec(format: SourceFormat): SpillCodec {
  if (format === "ndjson") return EXACT;
  return format === "xlsx" ? SHEET : PLAIN;
}
