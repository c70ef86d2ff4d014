/**
 * Compiles a mapping's `event` and `items` sections (import-events). The event's name and id are
 * Strings and its datetime a Datetime, each read like a property (transforms, values, formats);
 * an `id` cell must be a UUID. Items need one of `from` (an NDJSON array path, or in CSV a path
 * into a JSON column), `group_by` (a CSV column whose consecutive equal values make one event) and
 * `expr` (an expression giving a list).
 */
import { UUID_PATTERN } from "../api/events.js";
import type { ConvertContext } from "./convert/cell.js";
import { Invalid } from "./convert/invalid.js";
import { compiled } from "./expr/compiled.js";
import { csvColumnReader, pathReader } from "./json-cells.js";
import { propertyRule, propertyRules } from "./property-rule.js";
import { checkProperty, ITEM_SCOPE, type PropertyScope } from "./rules.js";
import type { WrittenMapping, WrittenPropertyObject } from "./schema.js";
import type {
  ColumnPropertyRule,
  EventRules,
  ItemRules,
  MappingSource,
  PathIssue,
} from "./types.js";

const EVENT_AT: PropertyScope = { at: ["event"], standard: {}, label: "" };

export function eventSections(
  written: WrittenMapping,
  source: MappingSource,
  ctx: ConvertContext,
  issues: PathIssue[],
): { event?: EventRules; items?: ItemRules } {
  const event = written.event;
  if (event === undefined) return {}; // refused by the schema: its problems are said there
  const field = (
    name: string,
    rule: string | WrittenPropertyObject,
    type: "String" | "Datetime",
  ) => {
    const full = { ...(typeof rule === "string" ? { column: rule } : rule), type };
    const found = checkProperty(name, full, EVENT_AT);
    if (found.length > 0) {
      issues.push(...found);
      return undefined;
    }
    const made = propertyRule(name, full, source, ctx, EVENT_AT);
    if (Array.isArray(made)) {
      issues.push(...made);
      return undefined;
    }
    return made;
  };
  const name = field("name", event.name, "String");
  const datetime = field("datetime", event.datetime, "Datetime");
  const id = event.id === undefined ? undefined : field("id", event.id, "String");
  const items = written.items === undefined ? undefined : itemRules(written, source, ctx, issues);
  if (name === undefined || datetime === undefined || datetime.kind !== "column") return {};
  const rules: EventRules = {
    name,
    datetime,
    ...(id === undefined || id.kind !== "column" ? {} : { id: uuidRule(id) }),
  };
  return items === undefined ? { event: rules } : { event: rules, items };
}

function itemRules(
  written: WrittenMapping,
  source: MappingSource,
  ctx: ConvertContext,
  issues: PathIssue[],
): ItemRules | undefined {
  const items = written.items;
  if (items === undefined) return undefined;
  const { rules } = propertyRules(items.properties, ITEM_SCOPE, source, ctx, issues);
  const given = (["from", "group_by", "expr"] as const).filter((k) => items[k] !== undefined);
  if (given.length > 1) {
    issues.push({
      path: ["items"],
      message: `${given.join(" and ")} are mutually exclusive: from (an NDJSON array path), group_by (a CSV column) or expr (an expression giving a list)`,
    });
    return undefined;
  }
  if (items.expr !== undefined) {
    const expr = compiled(items.expr, ["items", "expr"], issues, "list");
    return expr === undefined ? undefined : { expr, properties: rules };
  }
  if (items.from !== undefined) {
    // A path into a JSON column of a CSV row (a jsonb list of products) is a list as NDJSON's is.
    const read = pathReader(items.from, ctx.jsonColumns);
    return { from: { path: items.from, read }, properties: rules };
  }
  if (items.group_by !== undefined) {
    const column = items.group_by;
    return {
      groupBy: { column, read: csvColumnReader(column, ctx.jsonColumns) },
      properties: rules,
    };
  }
  issues.push({
    path: ["items"],
    message:
      "needs from (an NDJSON array path), group_by (a CSV column) or expr (an expression giving a list)",
  });
  return undefined;
}

/** An id cell that is not a UUID is invalid: DFINERY takes `event_log_id` as a UUID. */
function uuidRule(rule: ColumnPropertyRule): ColumnPropertyRule {
  const convert = rule.convert;
  return {
    ...rule,
    convert: (raw, cells) => {
      const value = convert(raw, cells);
      if (typeof value !== "string" || UUID_PATTERN.test(value)) return value;
      return new Invalid(`${JSON.stringify(value)} is not a UUID (event_log_id must be one)`);
    },
  };
}
