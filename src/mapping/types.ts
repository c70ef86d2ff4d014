import type { IdentityField, PropertyType, PropertyValue } from "../api/dfinery.js";
import type { Dialect } from "../source/dialect.js";
import type { SourceFormat } from "../source/types.js";
import type { Empty, Invalid } from "./convert/invalid.js";
import type { PhoneCountry } from "./convert/phone-country.js";
import type { Transform } from "./convert/transform.js";
import type { Expression } from "./expr/expression.js";

export type { Transform } from "./convert/transform.js";

/** What an empty cell does: leave the property out, or send null (which clears it). */
export type EmptyPolicy = "omit" | "null";

export interface MappingSource {
  readonly format?: SourceFormat;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** xlsx: the sheet to read, by name or number in tab order (1 is the first). */
  readonly sheet?: string | number;
  /** IANA zone for date-times written without an offset; validated at load. Default `UTC`. */
  readonly timezone: string;
  /** Country for phone numbers written without a country code: the file's, or a column's per row. Default `KR`. */
  readonly country: PhoneCountry;
  readonly empty: EmptyPolicy;
  /** Cells (trimmed) that count as empty, for every column; a rule may have its own list. */
  readonly emptyValues: readonly string[];
  /** CSV/TSV: false when the file has no header row. */
  readonly header: boolean;
  /** CSV/TSV: the column names in order, replacing the header row if there is one. */
  readonly columns?: readonly string[];
  readonly dialect?: Dialect;
  /** CSV/TSV: the columns whose cells hold JSON (json-cells.ts). */
  readonly jsonColumns?: readonly string[];
}

/**
 * Reads one cell of a row; compiled once per rule. `rows`: the rows of the row's group, for an
 * expression's `rows` (a group value); `[cells]` when absent.
 */
export type CellReader = (
  cells: Readonly<Record<string, unknown>>,
  rows?: readonly Readonly<Record<string, unknown>>[],
) => unknown;

/** What every rule reading a column carries, compiled at load so a row costs only calls. */
interface ColumnReading<T> {
  /**
   * CSV/TSV: a header name as is. NDJSON: a dotted path (a key that contains the dots wins).
   * With a template, the template's text.
   */
  readonly column: string;
  /** `template: "{Last Name} {First Name}"`: the value is built from several columns. */
  readonly template?: string;
  /** `expr:`: the value is an expression's (then `column` is its text). */
  readonly expression?: Expression;
  /** Every column the rule reads (one, a template's, or those an expression names literally). */
  readonly columns: readonly string[];
  readonly transforms: readonly Transform[];
  readonly readCsv: CellReader;
  readonly readJson: CellReader;
  /** Cell → value, `Invalid`, or `EMPTY`; `cells` is the row (a per-row phone country reads it). */
  readonly convert: (
    raw: unknown,
    cells?: Readonly<Record<string, unknown>>,
  ) => T | Invalid | Empty;
}

/** Where one DFINERY identifier comes from. Always trimmed; an empty one is absent. */
export interface FieldRule extends ColumnReading<string> {
  readonly name: IdentityField;
}

export interface ColumnPropertyRule extends ColumnReading<PropertyValue> {
  readonly kind: "column";
  readonly name: string;
  readonly type: PropertyType;
  readonly values?: ReadonlyMap<string, PropertyValue>;
  /** Date and Datetime: the formats as written (absent: iso). */
  readonly formats?: readonly string[];
  readonly default?: PropertyValue;
  /** Array types: the element separator in text. */
  readonly split?: string;
  readonly empty: EmptyPolicy;
}

export interface ConstantPropertyRule {
  readonly kind: "constant";
  readonly name: string;
  readonly type: PropertyType;
  readonly value: PropertyValue;
}

export type PropertyRule = ColumnPropertyRule | ConstantPropertyRule;

/** import-events: where an event's name, datetime and (optional) id come from; all Strings but datetime. */
export interface EventRules {
  readonly name: PropertyRule;
  readonly datetime: ColumnPropertyRule;
  readonly id?: ColumnPropertyRule;
}

/** import-events: the event's items, from an NDJSON array (`from`) or grouped CSV rows (`groupBy`). */
export interface ItemRules {
  readonly from?: { readonly path: string; readonly read: CellReader };
  /** `items.expr`: an expression giving the list of items' records. */
  readonly expr?: Expression;
  readonly groupBy?: { readonly column: string; readonly read: CellReader };
  readonly properties: readonly PropertyRule[];
}

/** A loaded, valid mapping: every shorthand expanded, every default filled, converters compiled. */
export interface Mapping {
  readonly source: MappingSource;
  /** The row filter: a row for which it is false is filtered (never sent, never a failure). */
  readonly where?: Expression;
  readonly identity: readonly FieldRule[];
  /** User properties; with `event`, the event's properties. */
  readonly properties: readonly PropertyRule[];
  /** Present in a mapping for import-events. */
  readonly event?: EventRules;
  readonly items?: ItemRules;
}

/** A problem found while loading, before it gets its line. */
export interface PathIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}
