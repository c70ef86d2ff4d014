/**
 * Cross-field rules of a mapping, beyond what the schema can say about one key: DFINERY's
 * standard properties keep their types, `column` xor `value`, API limits on array properties.
 * Each returns every problem it finds, with its path.
 */
import { type Document, isMap, isScalar } from "yaml";
import { IDENTITY_FIELDS, type PropertyType, STANDARD_PROPERTIES } from "../api/dfinery.js";
import { STANDARD_EVENT_PROPERTIES, STANDARD_ITEM_PROPERTIES } from "../api/events.js";
import { isArrayType } from "./convert/cell.js";
import { isValidZone } from "./convert/datetime.js";
import { checkFormat } from "./convert/formats.js";
import { isPhoneCountry } from "./convert/phone.js";
import { compileTransforms, transformName } from "./convert/transform.js";
import {
  emptyPolicyOf,
  type WrittenIdentityField,
  type WrittenMapping,
  type WrittenPropertyObject,
  type WrittenSource,
} from "./schema.js";
import { didYouMean } from "./suggest.js";
import { parseTemplate } from "./template.js";
import type { PathIssue, Transform } from "./types.js";

/** The API's limits on how many array properties a service may register. */
export const ARRAY_LIMITS: Partial<Record<PropertyType, number>> = {
  "Array of String": 10,
  "Array of Long": 5,
  "Array of Double": 5,
};

/**
 * Which properties a list of rules maps: user properties (the default), an event's properties or
 * its items' properties. Each has its own standard `df_` names and place in the mapping.
 */
export interface PropertyScope {
  readonly at: readonly string[];
  readonly standard: Readonly<Record<string, PropertyType>>;
  /** `standard properties`, `standard event properties`… */
  readonly label: string;
}

export const PROFILE_SCOPE: PropertyScope = {
  at: ["properties"],
  standard: STANDARD_PROPERTIES,
  label: "standard properties",
};
export const EVENT_SCOPE: PropertyScope = {
  at: ["properties"],
  standard: STANDARD_EVENT_PROPERTIES,
  label: "standard event properties",
};
export const ITEM_SCOPE: PropertyScope = {
  at: ["items", "properties"],
  standard: STANDARD_ITEM_PROPERTIES,
  label: "standard item properties",
};

/** A property's type: as written, else its standard type (`df_birth` → Date), else String. */
export function propertyType(
  name: string,
  rule: WrittenPropertyObject,
  scope: PropertyScope = PROFILE_SCOPE,
): PropertyType {
  return rule.type ?? scope.standard[name] ?? "String";
}

export function checkSource(source: WrittenSource): PathIssue[] {
  const issues: PathIssue[] = [];
  if (source.timezone !== undefined && !isValidZone(source.timezone)) {
    const hint = didYouMean(source.timezone, Intl.supportedValuesOf("timeZone"));
    issues.push({
      path: ["source", "timezone"],
      message: `"${source.timezone}" is not an IANA time zone such as Asia/Seoul or UTC${hint}`,
    });
  }
  issues.push(...checkCountry(source.country));
  for (const key of ["delimiter", "header", "columns", "dialect", "json_columns"] as const) {
    if (source.format === "ndjson" && source[key] !== undefined) {
      issues.push({ path: ["source", key], message: `${key} applies to csv and tsv, not ndjson` });
    }
  }
  for (const key of ["delimiter", "dialect", "encoding"] as const) {
    if (source.format === "xlsx" && source[key] !== undefined) {
      issues.push({
        path: ["source", key],
        message: `${key} applies to text, not to an xlsx workbook`,
      });
    }
  }
  if (source.sheet !== undefined && source.format !== undefined && source.format !== "xlsx") {
    issues.push({ path: ["source", "sheet"], message: "sheet applies to an xlsx workbook" });
  }
  if (source.header === false && source.columns === undefined) {
    issues.push({
      path: ["source", "header"],
      message: "a file without a header row needs source.columns: the column names, in order",
    });
  }
  const seen = new Set<string>();
  for (const [i, name] of (source.columns ?? []).entries()) {
    if (seen.has(name)) {
      issues.push({ path: ["source", "columns", i], message: `"${name}" is named twice` });
    }
    seen.add(name);
  }
  return issues;
}

/** `source.country`: codes with phone numbering data, in the code and in a column's table. */
function checkCountry(country: WrittenSource["country"]): PathIssue[] {
  const codes: [(string | number)[], string][] = [];
  if (typeof country === "string") codes.push([["source", "country"], country]);
  else if (country !== undefined) {
    if (country.default !== undefined)
      codes.push([["source", "country", "default"], country.default]);
    for (const [cell, code] of Object.entries(country.values ?? {})) {
      codes.push([["source", "country", "values", cell], code]);
    }
  }
  return codes
    .filter(([, code]) => !isPhoneCountry(code))
    .map(([path, code]) => ({
      path,
      message: `"${code}" is not a country with phone numbering data`,
    }));
}

export function checkIdentity(identity: WrittenMapping["identity"]): PathIssue[] {
  if (Object.values(identity).some((f) => f !== undefined)) return [];
  return [{ path: ["identity"], message: `map at least one of ${IDENTITY_FIELDS.join(", ")}` }];
}

/** Exactly one of column and template on an identity field; a template that parses. */
export function checkIdentityField(name: string, field: WrittenIdentityField): PathIssue[] {
  if (typeof field === "string") return [];
  return checkSourceOf(["identity", name], field, false);
}

/** `column`, `template`, `expr` and (on properties) `value`: exactly one; the template parses. */
function checkSourceOf(
  at: readonly string[],
  rule: {
    column?: string | undefined;
    template?: string | undefined;
    expr?: string | undefined;
    value?: unknown;
  },
  constants: boolean,
): PathIssue[] {
  const keys = ["column", "template", "expr", "value"] as const;
  const given = keys.filter((k) => rule[k] !== undefined);
  if (given.length > 1) {
    return [
      {
        path: [...at],
        message: `${given.join(" and ")} are mutually exclusive: read a column, build from a template${constants ? ", compute an expr, or send a constant" : " or compute an expr"}`,
      },
    ];
  }
  if (given.length === 0) {
    return [
      {
        path: [...at],
        message: constants
          ? "needs column (the column to read), template, expr (an expression) or value (a constant)"
          : "needs column (the column to read), template or expr (an expression)",
      },
    ];
  }
  if (rule.template === undefined) return [];
  const parsed = parseTemplate(rule.template);
  return typeof parsed === "string" ? [{ path: [...at, "template"], message: parsed }] : [];
}

const NOT_WITH_VALUE = [
  "transform",
  "format",
  "values",
  "default",
  "split",
  "empty",
  "empty_values",
] as const;

export function checkProperty(
  name: string,
  rule: WrittenPropertyObject,
  scope: PropertyScope = PROFILE_SCOPE,
): PathIssue[] {
  const at = [...scope.at, name];
  const issues: PathIssue[] = [];
  const standard = scope.standard[name];
  const type = propertyType(name, rule, scope);

  if (standard === undefined && name.startsWith("df_")) {
    issues.push({
      path: at,
      message: `names starting with df_ are DFINERY's ${scope.label}, and ${name} is not one${didYouMean(name, Object.keys(scope.standard))}`,
    });
  }
  if (standard !== undefined && type !== standard) {
    issues.push({
      path: [...at, "type"],
      message: `${name} is a ${standard} in DFINERY; it cannot be mapped as ${type}`,
    });
  }
  issues.push(...checkSourceOf(at, rule, true));
  if (rule.template !== undefined && type !== "String") {
    issues.push({ path: [...at, "template"], message: `template builds a String, not a ${type}` });
  }
  if (rule.value !== undefined) {
    for (const key of NOT_WITH_VALUE) {
      if (rule[key] !== undefined)
        issues.push({ path: [...at, key], message: `${key} has no effect with value` });
    }
  }
  if (rule.split !== undefined && !isArrayType(type)) {
    issues.push({ path: [...at, "split"], message: `split applies to Array types, not ${type}` });
  }
  if (rule.values !== undefined && isArrayType(type)) {
    issues.push({ path: [...at, "values"], message: "values is not supported for Array types" });
  }
  if (rule.default !== undefined && emptyPolicyOf(rule.empty) === "null") {
    issues.push({
      path: [...at, "empty"],
      message: "empty: null never applies: default is used for empty cells",
    });
  }
  if (rule.values !== undefined)
    issues.push(...checkValuesKeys(at, rule.transform ?? [], rule.values));
  if (rule.format !== undefined) issues.push(...checkFormats(at, type, rule.format));
  return issues;
}

/** `format` applies to Date and Datetime; each pattern must be one luxon can read. */
function checkFormats(
  at: readonly string[],
  type: PropertyType,
  format: string | readonly string[],
): PathIssue[] {
  if (type !== "Date" && type !== "Datetime") {
    return [
      { path: [...at, "format"], message: `format applies to Date and Datetime, not ${type}` },
    ];
  }
  const list = typeof format === "string" ? [format] : format;
  const issues: PathIssue[] = [];
  list.forEach((f, i) => {
    const path = typeof format === "string" ? [...at, "format"] : [...at, "format", i];
    const problem = checkFormat(f);
    if (problem !== undefined) issues.push({ path, message: problem });
    else if (list.indexOf(f) !== i) issues.push({ path, message: `"${f}" is listed twice` });
  });
  return issues;
}

/** A `values` key that a cell can never equal after trimming and the transforms is a mistake. */
function checkValuesKeys(
  at: readonly string[],
  transforms: readonly Transform[],
  values: Readonly<Record<string, unknown>>,
): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const key of Object.keys(values)) {
    const path = [...at, "values", key];
    if (key.trim() === "") {
      issues.push({
        path,
        message: "an empty cell never reaches values; use default for empty cells",
      });
      continue;
    }
    if (transforms.includes("phone")) continue;
    // Cells looked up in values are trimmed whatever the type.
    const out = compileTransforms(transforms, "KR")?.(key.trim()) ?? key.trim();
    const cell = typeof out === "string" ? out : key;
    if (cell !== key) {
      const names = transforms.map(transformName).join(", ");
      issues.push({
        path,
        message: `"${key}" can never match: cells are trimmed${transforms.length > 0 ? ` and transformed (${names})` : ""} first; write "${cell}"`,
      });
    }
  }
  return issues;
}

/**
 * `values` keys YAML reads as something other than their text: `01:` is the number 1, so the key
 * becomes "1" and a cell `01` would never match it (likewise `1.50`, `0x1F`, `True`, `~`). Only
 * the parsed document shows how a key was written, so this reads its nodes.
 */
export function checkValuesKeyNodes(doc: Document): PathIssue[] {
  const issues: PathIssue[] = [];
  const properties = doc.get("properties", true);
  if (!isMap(properties)) return issues;
  for (const property of properties.items) {
    if (!isScalar(property.key) || !isMap(property.value)) continue;
    const values = property.value.get("values", true);
    if (!isMap(values)) continue;
    for (const { key } of values.items) {
      if (!isScalar(key) || typeof key.value === "string") continue;
      const written = key.source ?? String(key.value);
      const read = key.value === null ? "" : String(key.value);
      if (written === read) continue;
      issues.push({
        path: ["properties", String(property.key.value), "values", read],
        message: `YAML reads the key ${written} as ${key.value === null ? "null" : `the ${typeof key.value} ${read}`}, which a cell "${written}" never matches; quote it: "${written}"`,
      });
    }
  }
  return issues;
}

/** At least one property; the API's limits on array properties. */
export function checkProperties(
  rules: readonly { name: string; type: PropertyType }[],
): PathIssue[] {
  if (rules.length === 0) {
    // The section means the same as for events (none written: none); a profile update needs one.
    const message =
      "map at least one property: a profile update without properties changes nothing";
    return [{ path: ["properties"], message }];
  }
  const issues: PathIssue[] = [];
  const counts = new Map<PropertyType, number>();
  for (const { name, type } of rules) {
    const limit = ARRAY_LIMITS[type];
    if (limit === undefined) continue;
    const count = (counts.get(type) ?? 0) + 1;
    counts.set(type, count);
    if (count === limit + 1) {
      issues.push({
        path: ["properties", name, "type"],
        message: `more than ${limit} ${type} properties (DFINERY allows at most ${limit})`,
      });
    }
  }
  return issues;
}
