import { InputError } from "../errors.js";
import { jsonColumnOf } from "./json-cells.js";
import { closest } from "./suggest.js";
import type { Mapping, PropertyRule } from "./types.js";

export interface MissingColumn {
  readonly column: string;
  /** Where the mapping uses it: `identity.email`, `properties.points`. */
  readonly usedBy: readonly string[];
  /** A header name that is close (differs by case or spacing, or a small typo). */
  readonly suggestion?: string;
}

/** The columns the mapping reads that the header does not have. */
export function findMissingColumns(mapping: Mapping, columns: readonly string[]): MissingColumn[] {
  const header = new Set(columns);
  const missing = new Map<string, string[]>();
  const json = [...(mapping.source.jsonColumns ?? [])].sort((x, y) => y.length - x.length);
  for (const [path, usedBy] of columnUses(mapping)) {
    // A path into a JSON column (prefs.push_consent) reads that column.
    const column = header.has(path) ? path : (jsonColumnOf(path, json) ?? path);
    if (header.has(column)) continue;
    missing.set(column, [...(missing.get(column) ?? []), usedBy]);
  }
  return [...missing].map(([column, usedBy]) => {
    const suggestion = closest(column, columns);
    return suggestion === undefined ? { column, usedBy } : { column, usedBy, suggestion };
  });
}

/** The columns the mapping reads that the header names more than once. */
export function findRepeatedColumns(mapping: Mapping, columns: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  if (repeated.size === 0) return [];
  return [...new Set(mappedColumns(mapping))].filter((column) => repeated.has(column));
}

function mappedColumns(mapping: Mapping): string[] {
  return columnUses(mapping).map(([column]) => column);
}

/**
 * Every header name the mapping reads, with where: the identity, the properties, an event's own
 * fields and items (its `group_by` column and item properties, or the JSON column `items.from`
 * reads), and the names an expression reads literally (`where`, an `expr:` rule's `row['…']`).
 */
function columnUses(mapping: Mapping): [string, string][] {
  const uses: [string, string][] = [];
  const add = (rule: PropertyRule | undefined, at: string) => {
    if (rule?.kind === "column") for (const c of rule.columns) uses.push([c, at]);
  };
  for (const c of mapping.where?.columns ?? []) uses.push([c, "where"]);
  for (const r of mapping.identity) for (const c of r.columns) uses.push([c, `identity.${r.name}`]);
  for (const r of mapping.properties) add(r, `properties.${r.name}`);
  const { event, items } = mapping;
  if (event !== undefined) {
    for (const [name, rule] of Object.entries(event)) add(rule, `event.${name}`);
  }
  if (items?.groupBy !== undefined) {
    uses.push([items.groupBy.column, "items.group_by"]);
    for (const r of items.properties) add(r, `items.properties.${r.name}`);
  }
  if (items?.from !== undefined) uses.push([items.from.path, "items.from"]);
  for (const c of sourceColumns(mapping)) uses.push([c, "source.country"]);
  return uses;
}

/** The columns the source section reads: a per-row phone country's. */
export function sourceColumns(mapping: Mapping): string[] {
  const { country } = mapping.source;
  return typeof country === "string" ? [] : [country.column];
}

/**
 * Checks a CSV/TSV header before the first row: throws an InputError listing every mapped column
 * the header lacks, with a "did you mean" when a header name is close, and every mapped column it
 * names twice (a repeated name the mapping does not read is fine). When the header row looks like
 * data, the message says how to read a file without one.
 */
export function checkColumns(mapping: Mapping, columns: readonly string[], file: string): void {
  const missing = findMissingColumns(mapping, columns);
  const repeated = findRepeatedColumns(mapping, columns);
  if (missing.length === 0 && repeated.length === 0) return;
  const given = mapping.source.columns !== undefined;
  const parts: string[] = [];
  if (missing.length > 0) {
    const lines = missing.map((m) => {
      const hint =
        m.suggestion === undefined ? "" : `; did you mean ${JSON.stringify(m.suggestion)}?`;
      return `  ${JSON.stringify(m.column)} (${m.usedBy.join(", ")})${hint}`;
    });
    const count = missing.length === 1 ? "a column" : `${missing.length} columns`;
    const where = given ? "source.columns lacks" : "the header lacks";
    parts.push(`${where} ${count} the mapping reads:\n${lines.join("\n")}`);
  }
  if (repeated.length > 0) {
    const names = repeated.map((name) => JSON.stringify(name)).join(", ");
    parts.push(
      `the header names ${names} more than once, and the mapping reads ${repeated.length === 1 ? "it" : "them"}: rename the columns or list them in source.columns`,
    );
  }
  if (!given && looksLikeData(columns)) {
    parts.push(
      "the header row looks like data: if this file has no header row, set source.header: false and name its columns in source.columns",
    );
  }
  throw new InputError(file, parts.join("\n"), mapping.source.header ? 1 : undefined);
}

const DATA_SHAPES: readonly RegExp[] = [
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/, // an e-mail address
  /^[+-]?\d[\d,.]*$/, // a number
  /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/, // a date
  /^\+?[\d ()-]{7,}$/, // a phone number
  /^\\N$/, // a database NULL
];

/** A header row that repeats a name, or has a cell shaped like a value rather than a name. */
export function looksLikeData(columns: readonly string[]): boolean {
  if (new Set(columns).size !== columns.length) return true;
  return columns.some((cell) => DATA_SHAPES.some((shape) => shape.test(cell.trim())));
}
