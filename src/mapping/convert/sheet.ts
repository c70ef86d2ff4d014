/**
 * Workbook cells that are neither text nor numbers (util/sheet-values.ts). A date cell is a date
 * whatever its display format: a Date takes its calendar date, a Datetime its wall-clock time read
 * in the source's time zone (as text without an offset is), a String its ISO text. The mapping's
 * `format:` describes how text is written, so it does not apply to a date cell. An error cell
 * (`#N/A`) is refused by name for every type, never sent as its text.
 */
import type { PropertyType, PropertyValue } from "../../api/dfinery.js";
import { SheetDate, SheetError } from "../../util/sheet-values.js";
import { Invalid } from "./invalid.js";
import { toGender } from "./string.js";

export type SheetValue = SheetDate | SheetError;

export function isSheetValue(value: unknown): value is SheetValue {
  return value instanceof SheetDate || value instanceof SheetError;
}

/** Datetime text without an offset → DFINERY's Datetime, read in the source's zone. */
type DatetimeReader = (text: string) => string | Invalid;

/** The converter of a date or error cell to `type`. */
export function sheetConverter(
  type: PropertyType,
  datetime: DatetimeReader,
  gender: boolean,
): (value: SheetValue) => PropertyValue | Invalid {
  const ofDate = dateConverter(type, datetime, gender);
  return (value) =>
    value instanceof SheetError
      ? new Invalid(`the cell holds the Excel error ${value.code}`)
      : ofDate(value);
}

function dateConverter(
  type: PropertyType,
  datetime: DatetimeReader,
  gender: boolean,
): (value: SheetDate) => PropertyValue | Invalid {
  switch (type) {
    case "Date":
      return (date) => date.day;
    case "Datetime":
      return (date) => datetime(date.dateTime);
    case "String":
      return gender ? (date) => toGender(date.text) : (date) => date.text;
    default:
      return (date) => new Invalid(`${date.text} is a date cell, not a ${type}`);
  }
}
