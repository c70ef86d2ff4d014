import type { PropertyType, PropertyValue } from "../../api/dfinery.js";
import { ExactNumber } from "../../util/exact-number.js";
import { SheetError } from "../../util/sheet-values.js";
import type { JsonColumns } from "../json-cells.js";
import { makeArrayConverter } from "./array.js";
import { toBoolean } from "./boolean.js";
import { toDate } from "./date.js";
import { makeDatetimeConverter } from "./datetime.js";
import { compileFormats } from "./formats.js";
import { EMPTY, type Empty, Invalid, show } from "./invalid.js";
import { toDouble, toLong } from "./number.js";
import type { PhoneCountry } from "./phone-country.js";
import { isSheetValue, sheetConverter } from "./sheet.js";
import { toGender, toText } from "./string.js";
import { compileTransforms, type Transform } from "./transform.js";

/** What conversions share within one mapping: built once per mapping, not per rule or row. */
export interface ConvertContext {
  /** Where the `phone` transform's country comes from: the file's, or a column's per row. */
  readonly country: PhoneCountry;
  /** IANA zone of date-times written without an offset. */
  readonly timezone: string;
  readonly datetime: (value: unknown) => string | Invalid;
  /** source.dialect postgres: Array cells in braces are PostgreSQL array literals. */
  readonly pgArrays: boolean;
  /** source.json_columns: CSV cells read as JSON, and paths into them. */
  readonly jsonColumns?: JsonColumns;
}

export function convertContext(
  timezone: string,
  country: PhoneCountry,
  source: { readonly pgArrays?: boolean; readonly jsonColumns?: JsonColumns } = {},
): ConvertContext {
  const { pgArrays = false, jsonColumns } = source;
  return {
    country,
    timezone,
    datetime: makeDatetimeConverter(timezone),
    pgArrays,
    ...(jsonColumns === undefined ? {} : { jsonColumns }),
  };
}

export type ValueConverter = (value: unknown) => PropertyValue | Invalid;
/** `cells`: the row, read only by a `phone` transform with a per-row country. */
export type CellConverter = (raw: unknown, cells?: Cells) => PropertyValue | Invalid | Empty;
type Cells = Readonly<Record<string, unknown>>;

export const ARRAY_ELEMENT_TYPES: Partial<Record<PropertyType, PropertyType>> = {
  "Array of String": "String",
  "Array of Long": "Long",
  "Array of Double": "Double",
};

export function isArrayType(type: PropertyType): boolean {
  return ARRAY_ELEMENT_TYPES[type] !== undefined;
}

/**
 * The converter of a scalar type: text (already trimmed for typed cells) or a JSON value in.
 * `formats`: Date and Datetime as stated by the mapping (default: the iso rules).
 */
export function scalarConverter(
  type: PropertyType,
  ctx: ConvertContext,
  gender = false,
  formats?: readonly string[],
) {
  if ((type === "Date" || type === "Datetime") && formats !== undefined) {
    if (!(formats.length === 1 && formats[0] === "iso")) {
      return compileFormats(formats, type, ctx.timezone);
    }
  }
  switch (type) {
    case "Long":
      return toLong;
    case "Double":
      return toDouble;
    case "Boolean":
      return toBoolean;
    case "Date":
      return toDate;
    case "Datetime":
      return ctx.datetime;
    default:
      return gender ? toGender : toText;
  }
}

export interface CellSpec {
  readonly type: PropertyType;
  readonly transforms: readonly Transform[];
  /** Lookup table applied after the transforms; its targets are already converted. */
  readonly values?: ReadonlyMap<string, PropertyValue> | undefined;
  /**
   * Used for an empty cell only, already converted. A cell missing from `values` is always
   * UNMAPPED_VALUE: a default never stands in for a value it cannot read (a consent flag!).
   */
  readonly fallback?: PropertyValue | undefined;
  /** Array types: what separates elements in text. */
  readonly split: string;
  /**
   * Trim String cells too (identity fields). Typed cells, and cells looked up in `values`, are
   * always trimmed; a String without `values` is sent as given unless `trim` is listed.
   */
  readonly trim: boolean;
  /** Check a String against DFINERY's gender values (`df_gender`). */
  readonly gender: boolean;
  /** Date and Datetime: the formats the cells are written in (default: iso). */
  readonly formats?: readonly string[] | undefined;
}

/**
 * Compiles the whole path of one cell, once per rule: empty check, trimming, transforms, lookup,
 * type conversion. An expression's value (`expr:`) takes the same path; its failure passes through. Returns the value, an `Invalid`, or `EMPTY` (no value and no default). The
 * default applies to an empty cell only (also one that the transforms leave empty), never to a
 * cell that fails to convert or is missing from `values`.
 */
export function compileCell(spec: CellSpec, ctx: ConvertContext): CellConverter {
  const transform = compileTransforms(spec.transforms, ctx.country);
  const fallback = spec.fallback;
  const ifEmpty = fallback === undefined ? EMPTY : fallback;
  const elementType = ARRAY_ELEMENT_TYPES[spec.type];

  if (elementType !== undefined) {
    const toArray = makeArrayConverter({
      element: scalarConverter(elementType, ctx) as (v: unknown) => string | number | Invalid,
      transform,
      split: spec.split,
      pgArrays: ctx.pgArrays,
    });
    return (raw, cells) => {
      if (raw === undefined || raw === null) return ifEmpty;
      if (raw instanceof Invalid) return raw; // a failed expression, or a JSON column's cell that is not JSON
      const value = toArray(raw, cells);
      return value === EMPTY ? ifEmpty : value;
    };
  }

  const toType: ValueConverter = scalarConverter(spec.type, ctx, spec.gender, spec.formats);
  const table = spec.values;
  const trim = spec.trim || spec.type !== "String" || table !== undefined;
  const lookup: ValueConverter | undefined =
    table === undefined
      ? undefined
      : (text) => {
          const value = table.get(text as string);
          if (value !== undefined) return value;
          return new Invalid(
            `${show(text)} is not in the values table (${known(table)})`,
            "UNMAPPED_VALUE",
          );
        };
  const finish = lookup ?? toType;
  const textFirst = transform !== undefined || lookup !== undefined;
  const fromSheet = sheetConverter(spec.type, ctx.datetime, spec.gender);

  return (raw, cells) => {
    let text: string;
    if (typeof raw === "string") {
      text = trim ? raw.trim() : raw;
    } else if (raw === undefined || raw === null) {
      return ifEmpty;
    } else if (raw instanceof Invalid) {
      return raw; // a failed expression, or a JSON column's cell that is not JSON
    } else if (isSheetValue(raw)) {
      // A date cell's text goes through the transforms and the values table as text does.
      if (!textFirst || raw instanceof SheetError) return fromSheet(raw);
      text = raw.text;
    } else if (
      textFirst &&
      (typeof raw === "number" || typeof raw === "boolean" || raw instanceof ExactNumber)
    ) {
      text = String(raw);
    } else {
      return toType(raw);
    }
    if (text === "") return ifEmpty;
    if (transform !== undefined) {
      const out = transform(text, cells);
      if (typeof out !== "string") return out;
      if (out === "") return ifEmpty;
      text = out;
    }
    return finish(text);
  };
}

function known(table: ReadonlyMap<string, unknown>): string {
  const keys = [...table.keys()];
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k));
  return `expected ${shown.join(", ")}${keys.length > 6 ? `, … (${keys.length} in all)` : ""}`;
}
