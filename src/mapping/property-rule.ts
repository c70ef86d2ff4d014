/**
 * Compiles the property rules of a mapping (profile properties, event properties, item properties
 * and an event's own fields): shorthands expanded, constants converted, where each rule reads and
 * its converter, with the rule's empty markers. Problems come back with their paths.
 */
import type { PropertyValue } from "../api/dfinery.js";
import {
  type CellConverter,
  type ConvertContext,
  compileCell,
  isArrayType,
} from "./convert/cell.js";
import { convertConstant } from "./convert/constant.js";
import { Invalid } from "./convert/invalid.js";
import { compiled } from "./expr/compiled.js";
import type { Expression } from "./expr/expression.js";
import { csvColumnReader, type JsonColumns } from "./json-cells.js";
import { jsonReader } from "./read.js";
import { checkProperty, PROFILE_SCOPE, type PropertyScope, propertyType } from "./rules.js";
import { emptyPolicyOf, type WrittenProperty, type WrittenPropertyObject } from "./schema.js";
import { parseTemplate, templateReaders } from "./template.js";
import type { CellReader, MappingSource, PathIssue, PropertyRule } from "./types.js";

export const DEFAULT_SPLIT = ",";

/** Compiles a list of property rules of one scope; their problems go to `issues`. */
export function propertyRules(
  written: Readonly<Record<string, WrittenProperty>>,
  scope: PropertyScope,
  source: MappingSource,
  ctx: ConvertContext,
  issues: PathIssue[],
): { rules: PropertyRule[]; typed: { name: string; type: PropertyRule["type"] }[] } {
  const rules: PropertyRule[] = [];
  const typed: { name: string; type: PropertyRule["type"] }[] = [];
  for (const [name, rule] of Object.entries(written)) {
    const full = expand(rule);
    typed.push({ name, type: propertyType(name, full, scope) });
    const ruleIssues = checkProperty(name, full, scope);
    if (ruleIssues.length > 0) {
      issues.push(...ruleIssues);
      continue;
    }
    const made = propertyRule(name, full, source, ctx, scope);
    if (Array.isArray(made)) issues.push(...made);
    else rules.push(made);
  }
  return { rules, typed };
}

/** `format` as written: one or a list. */
export function formatsOf(
  format: string | readonly string[] | undefined,
): readonly string[] | undefined {
  return typeof format === "string" ? [format] : format;
}

function expand(rule: WrittenProperty): WrittenPropertyObject {
  return typeof rule === "string" ? { column: rule } : rule;
}

/**
 * Where a rule reads: one column, or a template's columns (each part empty by the rule's
 * `empty_values` too). A template the rules found wrong reads nothing (the mapping is rejected).
 */
export function reading(
  source: { column?: string | undefined; template?: string | undefined },
  markers: readonly string[],
  json: JsonColumns | undefined,
  identity = false,
  expression?: Expression,
) {
  if (expression !== undefined) {
    const read: CellReader = (cells, rows) => expression.evaluate(cells, rows);
    const { text, columns } = expression;
    return { column: text, expression, columns, readCsv: read, readJson: read };
  }
  const readCsv = (column: string) => csvColumnReader(column, json);
  if (source.template === undefined) {
    const column = source.column ?? "";
    return {
      column,
      columns: [column],
      readCsv: readCsv(column),
      readJson: jsonReader(column),
    };
  }
  const parsed = parseTemplate(source.template);
  const valid = typeof parsed === "string" ? { texts: [""], columns: [] } : parsed;
  return {
    column: source.template,
    template: source.template,
    columns: valid.columns,
    ...templateReaders(valid, markers, identity, readCsv),
  };
}

export function propertyRule(
  name: string,
  rule: WrittenPropertyObject,
  source: MappingSource,
  ctx: ConvertContext,
  scope: PropertyScope = PROFILE_SCOPE,
  at: readonly (string | number)[] = [...scope.at, name],
): PropertyRule | PathIssue[] {
  const type = propertyType(name, rule, scope);
  const split = rule.split ?? DEFAULT_SPLIT;
  const spec = { type, split, gender: scope === PROFILE_SCOPE && name === "df_gender" };
  const issues: PathIssue[] = [];

  const constant = (
    value: unknown,
    path: (string | number)[],
    strict: boolean,
  ): PropertyValue | undefined => {
    const out = convertConstant(value, spec, ctx, strict);
    if (!(out instanceof Invalid)) return out;
    issues.push({ path, message: out.detail });
    return undefined;
  };

  if (rule.value !== undefined) {
    const value = constant(rule.value, [...at, "value"], true);
    return value === undefined ? issues : { kind: "constant", name, type, value };
  }
  const expression =
    rule.expr === undefined ? undefined : compiled(rule.expr, [...at, "expr"], issues);

  const fallback =
    rule.default === undefined ? undefined : constant(rule.default, [...at, "default"], false);
  let values: Map<string, PropertyValue> | undefined;
  if (rule.values !== undefined) {
    values = new Map();
    for (const [key, target] of Object.entries(rule.values)) {
      const value = constant(target, [...at, "values", key], false);
      if (value !== undefined) values.set(key, value);
    }
  }
  if (issues.length > 0) return issues;

  const transforms = rule.transform ?? [];
  const formats = formatsOf(rule.format);
  const markers = rule.empty_values ?? source.emptyValues;
  return {
    kind: "column",
    name,
    type,
    ...reading(rule, markers, ctx.jsonColumns, false, expression),
    transforms,
    ...(formats === undefined ? {} : { formats }),
    ...(values === undefined ? {} : { values }),
    ...(fallback === undefined ? {} : { default: fallback }),
    ...(isArrayType(type) ? { split } : {}),
    empty: emptyPolicyOf(rule.empty) ?? source.empty,
    convert: withEmptyValues(
      compileCell({ ...spec, transforms, values, fallback, trim: false, formats }, ctx),
      markers,
    ),
  };
}

/**
 * A cell equal to one of `markers` after trimming (`-`, `N/A`, `없음`) reads as an empty cell: left
 * out, `empty: null` or the default, as that rule says; for an identity, an absent identifier.
 */
export function withEmptyValues(convert: CellConverter, markers: readonly string[]): CellConverter {
  if (markers.length === 0) return convert;
  const set: ReadonlySet<string> = new Set(markers.map((m) => m.trim()));
  return (raw, cells) => convert(isEmptyMarker(raw, set) ? undefined : raw, cells);
}

export function isEmptyMarker(raw: unknown, markers: ReadonlySet<string>): boolean {
  return typeof raw === "string" && markers.has(raw.trim());
}
