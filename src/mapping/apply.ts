/**
 * One source row → one profile update, with the compiled rules of a mapping. Pure and fast: no
 * parsing of the mapping here, one pass over the rules, allocations only for the result.
 */
import {
  type Identity,
  MAX_PROPERTIES_BYTES,
  type ProfileUpdate,
  type UserProperties,
} from "../api/dfinery.js";
import { propertiesByteLength } from "../api/value-types.js";
import { type CellError, type RowFailure, rowFailure } from "../errors.js";
import type { SourceFormat, SourceRow } from "../source/types.js";
import { EMPTY, Invalid } from "./convert/invalid.js";
import { showExpression } from "./expr/expression.js";
import { NotJson } from "./json-cells.js";
import type { FieldRule, Mapping, PropertyRule } from "./types.js";

export type MappingResult =
  | { readonly ok: true; readonly update: ProfileUpdate }
  | { readonly ok: false; readonly failure: RowFailure };

export interface Problem {
  readonly code: string;
  readonly field?: string;
  readonly message: string;
  /** The cell's problem alone, and where it was read (absent for row-wide problems). */
  readonly cell?: { readonly detail: string; readonly column: string; readonly value: unknown };
}

/**
 * Applies a mapping to a row. A row with problems fails as a whole: the failure's code and field
 * are the first problem's, and its message lists every field's problem, so one look at the
 * dead-letter record shows all that is wrong with the row.
 */
export function applyMapping(
  mapping: Mapping,
  row: SourceRow,
  format: SourceFormat,
): MappingResult {
  const mapped = mapRow(mapping, row.cells, format === "ndjson", true);
  if (mapped.problems !== undefined) return { ok: false, failure: failureOf(mapped.problems) };
  return { ok: true, update: { identity: mapped.identity, user_properties: mapped.properties } };
}

/**
 * A row's identity and properties, and its problems (undefined when none). `sizeLimit`: check
 * DFINERY's 8 KB limit on user properties (profiles; events state no such limit). `same`: an
 * identity the same rules read from another row, returned itself when this row's identity is the
 * same (an events file comes user by user: no object a row for the identity of the row before).
 */
export function mapRow(
  mapping: Mapping,
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  sizeLimit: boolean,
  pick?: RulePick,
  same?: Identity,
): { identity: Identity; properties: UserProperties; problems: Problem[] | undefined } {
  // Most rows have no problem: the list is made for the first one.
  let problems: Problem[] | undefined;

  const rules = mapping.identity;
  // Made at the first value that differs from `same`'s (with `same`'s values before it).
  let identity: Record<string, string> | undefined = same === undefined ? {} : undefined;
  let identified = false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as FieldRule;
    const raw = json ? rule.readJson(cells) : rule.readCsv(cells);
    const value = rule.convert(raw, cells);
    const text = typeof value === "string" ? value : undefined;
    if (text !== undefined) identified = true;
    else if (value instanceof Invalid) {
      problems = noted(problems, cellProblem(rule.name, rule, raw, value));
    }
    if (identity === undefined) {
      if ((same as Identity)[rule.name] === text) continue;
      identity = copiedBefore(rules, i, same as Identity);
    }
    if (text !== undefined) identity[rule.name] = text;
  }
  // No identity at all is never `same` (it was an event's, so it had one).
  identity ??= identified ? (same as Identity) : copiedBefore(rules, rules.length, {});
  if (!identified && problems === undefined) {
    const plain = mapping.identity.every(
      (r) => r.template === undefined && r.expression === undefined,
    );
    const names = mapping.identity.map((r) => (plain ? JSON.stringify(r.column) : where(r)));
    const many = mapping.identity.length > 1;
    const what = `${plain ? (many ? "columns " : "column ") : ""}${names.join(", ")} ${many ? "are all" : "is"}`;
    problems = [{ code: "NO_IDENTITY", message: `no identity: ${what} empty` }];
  }

  const properties: UserProperties = {};
  const options = pick === undefined ? NO_OPTIONS : { pick };
  const found = readProperties(mapping.properties, cells, json, properties, "", options);
  if (found.length > 0) problems = [...(problems ?? []), ...found];
  if (
    problems === undefined &&
    sizeLimit &&
    mayExceed(properties) &&
    propertiesByteLength(properties) > MAX_PROPERTIES_BYTES
  ) {
    problems = [tooLarge(properties)];
  }
  return { identity: identity as Identity, properties, problems };
}

/** A new identity with `same`'s values of the rules before the i-th, in their order. */
function copiedBefore(
  rules: readonly FieldRule[],
  i: number,
  same: Identity,
): Record<string, string> {
  const identity: Record<string, string> = {};
  for (let j = 0; j < i; j++) {
    const name = (rules[j] as FieldRule).name;
    const value = same[name];
    if (value !== undefined) identity[name] = value;
  }
  return identity;
}

/** Which rules a pass reads (a group's values are read apart, with its rows: group-values.ts). */
export type RulePick = (rule: PropertyRule) => boolean;

/** How `readProperties` reads, beyond the cells. */
export interface ReadOptions {
  /** Only these rules. */
  readonly pick?: RulePick | undefined;
  /** The group of the row, for expressions' `rows`. */
  readonly rows?: readonly Readonly<Record<string, unknown>>[] | undefined;
  /**
   * The row the cells belong to, when they are an item's record inside it: what the row decides
   * for every value in it (a per-row phone country) is read there. Default: the cells.
   */
  readonly row?: Readonly<Record<string, unknown>>;
}

/** Options of a row's reading of its properties that reads all (no object a row). */
const NO_OPTIONS: ReadOptions = {};
/** No problem: what most rows' reading returns (never written to). */
const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/**
 * Reads property rules from cells into `into`; the problems, each field named `prefix` + name
 * (most rows have none: then one shared empty list, no array a row).
 */
export function readProperties(
  rules: readonly PropertyRule[],
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  into: UserProperties,
  prefix: string,
  { pick, rows, row = cells }: ReadOptions = NO_OPTIONS,
): readonly Problem[] {
  let problems: Problem[] | undefined;
  for (const rule of rules) {
    if (pick !== undefined && !pick(rule)) continue;
    if (rule.kind === "constant") {
      into[rule.name] = rule.value;
      continue;
    }
    const raw = json ? rule.readJson(cells, rows) : rule.readCsv(cells, rows);
    const value = rule.convert(raw, row);
    if (value === EMPTY) {
      if (rule.empty === "null") into[rule.name] = null;
    } else if (value instanceof Invalid) {
      problems = noted(problems, cellProblem(`${prefix}${rule.name}`, rule, raw, value));
    } else {
      into[rule.name] = value;
    }
  }
  return problems ?? NO_PROBLEMS;
}

function noted(problems: Problem[] | undefined, next: Problem): Problem[] {
  if (problems === undefined) return [next];
  problems.push(next);
  return problems;
}

type Reading = {
  readonly column: string;
  readonly template?: string;
  readonly expression?: unknown;
};

/** Where a rule reads, for messages: `column "email"`, `template "{Last} {First}"`, `expression "…"`. */
function where(rule: Reading): string {
  if (rule.expression !== undefined) return `expression ${showExpression(rule.column)}`;
  return `${rule.template === undefined ? "column" : "template"} ${JSON.stringify(rule.column)}`;
}

export function cellProblem(field: string, rule: Reading, raw: unknown, invalid: Invalid): Problem {
  // A failed expression's detail names it already, and it has no value.
  const failed = raw === invalid && !(raw instanceof NotJson);
  return {
    code: invalid.code,
    field,
    message: failed ? invalid.detail : `${where(rule)}: ${invalid.detail}`,
    // A JSON column's cell that is not JSON: the cell's text, as read.
    cell: {
      detail: invalid.detail,
      column: rule.column,
      value: raw instanceof NotJson ? raw.text : failed ? null : raw,
    },
  };
}

/**
 * The row's failure: code and field of the first problem, a message naming them all, and `errors`
 * listing each one with its column and value.
 */
export function failureOf(problems: readonly Problem[]): RowFailure {
  const [first] = problems as [Problem, ...Problem[]];
  const message = problems.map((p) => p.message).join("; ");
  const errors: CellError[] = problems.map((p) => {
    const error: CellError = {
      stage: "mapping",
      code: p.code,
      message: p.cell?.detail ?? p.message,
    };
    return {
      ...error,
      ...(p.field === undefined ? {} : { field: p.field }),
      ...(p.cell === undefined ? {} : { column: p.cell.column, value: p.cell.value }),
    };
  });
  return { ...rowFailure("mapping", first.code, message, first.field), errors };
}

/**
 * A cheap upper bound of the JSON size, so the exact count runs only for rows that could be over:
 * a UTF-16 unit is at most 6 bytes in JSON (`\u001f`), a number at most 24 characters.
 */
function mayExceed(properties: UserProperties): boolean {
  let bound = 2;
  for (const key in properties) {
    const value = properties[key];
    bound += key.length * 6 + 4;
    if (typeof value === "string") bound += value.length * 6 + 2;
    else if (Array.isArray(value)) {
      bound += 2;
      for (const e of value) bound += (typeof e === "string" ? e.length * 6 + 2 : 24) + 1;
    } else bound += 24;
    if (bound > MAX_PROPERTIES_BYTES) return true;
  }
  return false;
}

function tooLarge(properties: UserProperties): Problem {
  const bytes = propertiesByteLength(properties);
  let largest = "";
  let largestBytes = -1;
  for (const [name, value] of Object.entries(properties)) {
    const size = propertiesByteLength(value);
    if (size > largestBytes) [largest, largestBytes] = [name, size];
  }
  return {
    code: "TOO_LARGE",
    field: largest,
    message: `user_properties is ${bytes} bytes as JSON, over DFINERY's ${MAX_PROPERTIES_BYTES}-byte limit (largest: ${largest}, ${largestBytes} bytes)`,
  };
}
