/**
 * From the written mapping to the one the importer runs: the source section with its defaults,
 * the identity, and the properties and event sections compiled (property-rule.ts,
 * event-section.ts). Problems come back with their paths.
 */
import type { CountryCode } from "libphonenumber-js/max";
import { IDENTITY_FIELDS } from "../api/dfinery.js";
import { type ConvertContext, compileCell, convertContext } from "./convert/cell.js";
import type { PhoneCountry } from "./convert/phone-country.js";
import { eventSections } from "./event-section.js";
import { compiled } from "./expr/compiled.js";
import { checkedIdentity } from "./identity-check.js";
import { JsonColumns, pathReader } from "./json-cells.js";
import { DEFAULT_SPLIT, propertyRules, reading, withEmptyValues } from "./property-rule.js";
import {
  checkIdentity,
  checkIdentityField,
  checkProperties,
  checkSource,
  EVENT_SCOPE,
  PROFILE_SCOPE,
} from "./rules.js";
import {
  emptyPolicyOf,
  type WrittenIdentityField,
  type WrittenMapping,
  type WrittenSource,
} from "./schema.js";
import { parseTemplate, separatorCheck } from "./template.js";
import type { FieldRule, Mapping, MappingSource, PathIssue } from "./types.js";

export const DEFAULT_TIMEZONE = "UTC";
export const DEFAULT_COUNTRY: CountryCode = "KR";

/**
 * `events`: a mapping for import-events (it has an `event` section as written, even one the schema
 * refused): its properties are an event's, and it may have none. `identityOnly`: a mapping for the
 * identities and delete commands, which map the identity alone: no properties asked for (the kind
 * refuses those given, kinds/identity-rows.ts).
 */
export function normalizeMapping(
  written: WrittenMapping,
  events = written.event !== undefined,
  identityOnly = false,
): {
  mapping: Mapping;
  issues: PathIssue[];
} {
  const ws = written.source ?? {};
  const issues = checkSource(ws);
  const jsonColumns = new JsonColumns(ws.json_columns ?? []);
  const source: MappingSource = {
    ...(ws.format === undefined ? {} : { format: ws.format }),
    ...(ws.encoding === undefined ? {} : { encoding: ws.encoding }),
    ...(ws.delimiter === undefined ? {} : { delimiter: ws.delimiter }),
    ...(ws.sheet === undefined ? {} : { sheet: ws.sheet }),
    timezone: issues.some((i) => i.path[1] === "timezone")
      ? DEFAULT_TIMEZONE
      : (ws.timezone ?? DEFAULT_TIMEZONE),
    country: issues.some((i) => i.path[1] === "country")
      ? DEFAULT_COUNTRY
      : phoneCountry(ws, jsonColumns),
    empty: emptyPolicyOf(ws.empty) ?? "omit",
    emptyValues: ws.empty_values ?? [],
    header: ws.header ?? true,
    ...(ws.columns === undefined ? {} : { columns: ws.columns }),
    ...(ws.dialect === undefined ? {} : { dialect: ws.dialect }),
    // Absent when none, so that a mapping's fingerprint (the state's) is what it was before them.
    ...(ws.json_columns === undefined ? {} : { jsonColumns: ws.json_columns }),
  };
  const ctx = convertContext(source.timezone, source.country, {
    pgArrays: source.dialect === "postgres",
    jsonColumns,
  });

  issues.push(...checkIdentity(written.identity));
  const identity: FieldRule[] = [];
  for (const name of IDENTITY_FIELDS) {
    const field = written.identity[name];
    if (field === undefined) continue;
    issues.push(...checkIdentityField(name, field));
    identity.push(identityRule(name, field, source, ctx, issues));
  }

  const scope = events ? EVENT_SCOPE : PROFILE_SCOPE;
  const { rules: properties, typed } = propertyRules(
    written.properties ?? {},
    scope,
    source,
    ctx,
    issues,
  );
  if (!events && !identityOnly) issues.push(...checkProperties(typed));
  const where =
    written.where === undefined ? undefined : compiled(written.where, ["where"], issues, "bool");
  const mapping: Mapping = {
    source,
    identity,
    properties,
    ...(where === undefined ? {} : { where }),
  };
  if (!events) {
    if (written.items !== undefined) {
      issues.push({ path: ["items"], message: "items belong to events: add an event section" });
    }
    return { mapping, issues };
  }
  const sections = eventSections(written, source, ctx, issues);
  return { mapping: { ...mapping, ...sections }, issues };
}

/** source.country as the transform reads it: a code, or a column with its table and markers. */
function phoneCountry(ws: WrittenSource, json: JsonColumns): PhoneCountry {
  const written = ws.country;
  if (written === undefined) return DEFAULT_COUNTRY;
  if (typeof written === "string") return written as CountryCode;
  return {
    column: written.column,
    // A path into a JSON column reads the country there (`prefs.country`), as a property would.
    read: pathReader(written.column, json),
    ...(written.values === undefined
      ? {}
      : { values: new Map(Object.entries(written.values) as [string, CountryCode][]) }),
    ...(written.default === undefined ? {} : { default: written.default as CountryCode }),
    emptyValues: ws.empty_values ?? [],
  };
}

function identityRule(
  name: FieldRule["name"],
  field: WrittenIdentityField,
  source: MappingSource,
  ctx: ConvertContext,
  issues: PathIssue[],
): FieldRule {
  const written = typeof field === "string" ? { column: field } : field;
  const expr = written.expr;
  const expression =
    expr === undefined ? undefined : compiled(expr, ["identity", name, "expr"], issues);
  const transform = written.transform ?? [];
  const markers = written.empty_values ?? source.emptyValues;
  const convert = compileCell(
    { type: "String", transforms: transform, split: DEFAULT_SPLIT, trim: true, gender: false },
    ctx,
  );
  const parsed = written.template === undefined ? undefined : parseTemplate(written.template);
  const parts =
    parsed === undefined || typeof parsed === "string"
      ? undefined
      : separatorCheck(parsed, written.template as string, (c) => pathReader(c, ctx.jsonColumns));
  return {
    name,
    ...reading(written, markers, ctx.jsonColumns, true, expression),
    transforms: transform,
    // A String cell with no values table and no default converts to text or fails.
    convert: withEmptyValues(
      checkedIdentity(convert, name, transform, parts),
      markers,
    ) as FieldRule["convert"],
  };
}
