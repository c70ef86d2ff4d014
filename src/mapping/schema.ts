/**
 * The mapping file as written (YAML), validated with zod before anything else. Strict objects:
 * an unknown key is an error, so a typo like `propertes:` cannot pass silently. Cross-field rules
 * live in rules.ts; this file is also the source of config/mapping.schema.json.
 */
import * as z from "zod";
import { IDENTITY_FIELDS, PROPERTY_TYPES } from "../api/dfinery.js";
import { DIALECTS } from "../source/dialect.js";
import { isPlainObject } from "../util/plain-object.js";
import { TRANSFORMS } from "./convert/transform.js";

/** DFINERY property keys: letters, digits and `_`, not starting with a digit. */
export const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const column = z
  .string()
  .min(1)
  .describe(
    "The column to read: a CSV/TSV header name as is, or a dotted path into an NDJSON object",
  );

const expr = z
  .string()
  .min(1)
  .describe(
    "A CEL expression over row (the record) and rows (a group_by event's rows), e.g. \"number(row['상품가격']) + number(row['옵션가격'])\"",
  );

const transform = z.union(
  [
    z.enum(TRANSFORMS),
    z
      .strictObject({ remove: z.string().min(1) })
      .describe('Drop each listed character, e.g. { remove: "\'₩ " }'),
    z
      .strictObject({ replace: z.tuple([z.string().min(1), z.string()]) })
      .describe(
        'Replace every occurrence of a text by another (literal text), e.g. { replace: ["(주)", ""] }',
      ),
    z
      .strictObject({ strip_prefix: z.string().min(1) })
      .describe('Drop a text once from the start of the cell, e.g. { strip_prefix: "\'" }'),
    z
      .strictObject({ uuid: z.string().min(1) })
      .describe(
        'The name-based UUID of a text and the cell, for an event.id from an id that is no UUID, e.g. { uuid: "df_purchase" } on an order id',
      ),
  ],
  {
    error: `expected one of ${TRANSFORMS.join(", ")}, { remove: "…" }, { replace: [from, to] }, { strip_prefix: "…" } or { uuid: "…" }`,
  },
);

const transforms = z.array(transform).meta({
  id: "Transforms",
  description:
    "Applied in order to the cell's text before conversion. phone: international digits without +, e.g. 821012345678; remove, replace and strip_prefix take literal text",
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const constant = z
  .union([scalar, z.array(z.union([z.string(), z.number()]))], {
    error: "expected text, a number, true/false, or a list of texts or numbers",
  })
  .meta({ id: "Constant" });

// `empty: null` is YAML's null; `empty: "null"` is accepted too.
const emptyPolicy = z
  .union([z.enum(["omit", "null"]), z.null()], { error: "expected omit or null" })
  .meta({ id: "EmptyPolicy" });

const emptyValues = z.array(z.string()).meta({
  id: "EmptyValues",
  description:
    'Cells that mean "no value", compared after trimming: e.g. ["-", "N/A", "없음", "0000-00-00"]. Such a cell is empty, with all the empty-cell rules',
});

/** The empty policy as written, normalised: YAML null means "null". */
export function emptyPolicyOf(
  written: "omit" | "null" | null | undefined,
): "omit" | "null" | undefined {
  return written === null ? "null" : written;
}

const countryCode = z.string().regex(/^[A-Z]{2}$/, "expected a two-letter country code such as KR");
const countryColumn = z
  .strictObject({
    column: column.describe("The column holding each row's country"),
    values: z
      .record(z.string(), countryCode)
      .optional()
      .describe("Cell (trimmed) → country code; without it, cells are codes such as KR or us"),
    default: countryCode.optional().describe("The country of a row whose cell is empty"),
  })
  .describe("Each row's country, from a column: { column: 국가, values: { 한국: KR, 미국: US } }");

export const SourceSchema = z
  .strictObject({
    format: z
      .enum(["csv", "tsv", "ndjson", "xlsx"])
      .optional()
      .describe("Input format; default from the file name"),
    encoding: z
      .string()
      .min(1)
      .optional()
      .describe("Input encoding, e.g. utf8, cp949, euc-kr, utf16le"),
    delimiter: z.string().min(1).optional().describe("CSV delimiter; default , (tab for tsv)"),
    sheet: z
      .union([z.string().min(1), z.number().int().min(1)])
      .optional()
      .describe(
        "xlsx: the sheet to read, by name or number in tab order; default the first visible",
      ),
    timezone: z
      .string()
      .min(1)
      .optional()
      .describe("IANA time zone for date-times written without an offset; default UTC"),
    country: z
      .union([countryCode, countryColumn], {
        error: "expected a two-letter country code such as KR, or { column: …, values: {…} }",
      })
      .optional()
      .describe(
        "Country for phone numbers written without +country code: a code (default KR), or a column giving each row's",
      ),
    empty: emptyPolicy
      .optional()
      .describe("What an empty cell does: omit (default) leaves the property out, null clears it"),
    empty_values: emptyValues.optional(),
    header: z
      .boolean()
      .optional()
      .describe("CSV/TSV: false when the file has no header row (then list columns); default true"),
    columns: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe("CSV/TSV: the column names in order; with a header row, they replace it"),
    json_columns: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        "CSV/TSV: columns whose cells hold JSON (a PostgreSQL jsonb column): read as NDJSON is, numbers exact, and paths into them (prefs.push_consent)",
      ),
    dialect: z
      .enum(DIALECTS)
      .optional()
      .describe(
        "CSV/TSV written by a database: mysql (INTO OUTFILE, mysqldump --tab) or postgres (COPY … TO): backslash escapes, \\N for NULL",
      ),
  })
  .describe("How to read the input; all optional");

const template = z
  .string()
  .min(1)
  .describe(
    'Several columns into one text: "{Last Name} {First Name}"; runs of spaces collapse, the result is trimmed, all parts empty is empty',
  );

export const IdentityFieldSchema = z
  .union(
    [
      column,
      z.strictObject({
        column: column.optional(),
        template: template.optional(),
        expr: expr.optional(),
        transform: transforms.optional(),
        empty_values: emptyValues
          .optional()
          .describe("Values that mean no identifier here; default source.empty_values"),
      }),
    ],
    { error: "expected a column name, or { column: …, transform: […] }" },
  )
  .meta({ id: "IdentityField" });

export const IdentitySchema = z
  .strictObject(
    Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, IdentityFieldSchema.optional()])) as Record<
      (typeof IDENTITY_FIELDS)[number],
      z.ZodOptional<typeof IdentityFieldSchema>
    >,
  )
  .describe("Where the DFINERY identifiers come from; at least one. Values are always trimmed");

export const PropertyObjectSchema = z.strictObject({
  column: column.optional(),
  template: template.optional(),
  expr: expr.optional(),
  value: constant.optional().describe("A constant sent for every row (instead of column)"),
  type: z.enum(PROPERTY_TYPES).optional().describe("The property's DFINERY type; default String"),
  transform: transforms.optional(),
  format: z
    .union([z.string(), z.array(z.string()).min(1)], {
      error: "expected a format, or a list of formats",
    })
    .optional()
    .describe(
      'Date and Datetime: how cells are written. A luxon pattern ("yyyy-MM-dd a h:mm:ss", "M/d/yyyy"), iso (the default), epoch_s, epoch_ms, epoch_us or epoch_ns (luxon X and x: the same as epoch_s and epoch_ms); or a list of them (a cell two formats read differently is invalid)',
    ),
  values: z
    .record(z.string(), constant)
    .optional()
    .describe(
      "Lookup table: cell (trimmed, then transformed) → value; a cell not listed is invalid (UNMAPPED_VALUE), default or not",
    ),
  default: constant
    .optional()
    .describe(
      "Used when the cell is empty, and only then: a cell that is invalid or missing from values stays invalid",
    ),
  split: z
    .string()
    .min(1)
    .optional()
    .describe("Array types: separator of elements in text; default ,"),
  empty: emptyPolicy
    .optional()
    .describe("What an empty cell does for this property; default source.empty"),
  empty_values: emptyValues
    .optional()
    .describe("Cells that are empty for this property; default source.empty_values"),
});

export const PropertySchema = z.union([column, PropertyObjectSchema], {
  error: "expected a column name, or { column: …, type: … } / { value: … }",
});

export const PropertiesSchema = z
  .record(
    z
      .string()
      .regex(
        PROPERTY_NAME,
        "a property name has letters, digits and _ and does not start with a digit",
      ),
    PropertySchema,
  )
  .describe("DFINERY user properties: name → column (String) or a full rule");

// import-events: the `event` and `items` sections (docs/events.md, "An event mapping"). With `event`, `properties`
// are the event's properties.
const eventName = z
  .union(
    [
      column,
      PropertyObjectSchema.pick({
        column: true,
        template: true,
        expr: true,
        values: true,
        transform: true,
      }),
      z.strictObject({ value: z.string().min(1).describe("The same event name for every row") }),
    ],
    { error: "expected a column name, { column: …, values: {…} } or { value: df_purchase }" },
  )
  .describe("The event's name: a registered event, from a column (through values) or a constant");

const eventDatetime = z
  .union(
    [
      column,
      PropertyObjectSchema.pick({
        column: true,
        expr: true,
        format: true,
        transform: true,
        empty_values: true,
      }),
    ],
    { error: "expected a column name, or { column: …, format: … }" },
  )
  .describe("When the event happened: a Datetime, read with the Datetime rules and formats");

const eventId = z
  .union([column, PropertyObjectSchema.pick({ column: true, expr: true, transform: true })], {
    error: "expected a column name, or { column: … }",
  })
  .describe(
    "A column holding the event's UUID; without it, a name-based UUID of the event (the same event always gets the same id)",
  );

export const EventSchema = z
  .strictObject({ name: eventName, datetime: eventDatetime, id: eventId.optional() })
  .describe("import-events: what each event is; properties are then the event's properties");

export const ItemsSchema = z
  .strictObject({
    from: column
      .optional()
      .describe("NDJSON: the path of an array in each record, one item per element"),
    expr: expr
      .optional()
      .describe(
        'An expression giving a list, one item per element, e.g. "has(row.event_properties.product_id) ? [row.event_properties] : []"',
      ),
    group_by: column
      .optional()
      .describe(
        "CSV/TSV: consecutive rows with the same value in this column are one event, one item per row",
      ),
    properties: PropertiesSchema.describe(
      "Item properties: name → column (a path inside each element for from) or a full rule",
    ),
  })
  .describe("import-events: the event's items (event_items)");

export const MappingSchema = z
  .strictObject({
    source: SourceSchema.optional(),
    where: expr
      .describe(
        "Row filter: a row (a CSV group: its first row) for which this is false is filtered: counted, never sent, never a failure",
      )
      .optional(),
    identity: IdentitySchema,
    // Left out, or {}: no properties, for every kind (a kind that needs some says so).
    properties: PropertiesSchema.optional(),
    event: EventSchema.optional(),
    items: ItemsSchema.optional(),
  })
  .describe(
    "dfinery-import mapping: from input columns to a DFINERY user profile (or, with event, to events)",
  );

export type WrittenMapping = z.infer<typeof MappingSchema>;
export type WrittenSource = z.infer<typeof SourceSchema>;
export type WrittenIdentityField = z.infer<typeof IdentityFieldSchema>;
export type WrittenProperty = z.infer<typeof PropertySchema>;
export type WrittenPropertyObject = z.infer<typeof PropertyObjectSchema>;
export type WrittenEvent = z.infer<typeof EventSchema>;
export type WrittenItems = z.infer<typeof ItemsSchema>;

/** The keys allowed in the object at a path of the written mapping, for "did you mean". */
export function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  const [first] = path;
  if (path.length === 0) return Object.keys(MappingSchema.shape);
  if (first === "source" && path.length === 1) return Object.keys(SourceSchema.shape);
  if (first === "identity" && path.length === 1) return IDENTITY_FIELDS;
  if (first === "identity" && path.length === 2) {
    return ["column", "template", "expr", "transform", "empty_values"];
  }
  if (first === "properties" && path.length === 2) return Object.keys(PropertyObjectSchema.shape);
  if (first === "event" && path.length === 1) return Object.keys(EventSchema.shape);
  if (first === "items" && path.length === 1) return Object.keys(ItemsSchema.shape);
  if (first === "items" && path[1] === "properties" && path.length === 3) {
    return Object.keys(PropertyObjectSchema.shape);
  }
  return [];
}

/**
 * The parts of an invalid mapping that are valid on their own, so the cross-field rules can still
 * run on them and every problem is reported at once.
 */
export function salvage(data: unknown): WrittenMapping {
  const root = isPlainObject(data) ? data : {};
  const source = SourceSchema.safeParse(root.source ?? {});
  const identity: Record<string, WrittenIdentityField> = {};
  if (isPlainObject(root.identity)) {
    for (const field of IDENTITY_FIELDS) {
      const parsed = IdentityFieldSchema.safeParse(root.identity[field]);
      if (parsed.success) identity[field] = parsed.data;
    }
  }
  const properties: Record<string, WrittenProperty> = {};
  if (isPlainObject(root.properties)) {
    for (const [name, rule] of Object.entries(root.properties)) {
      const parsed = PropertySchema.safeParse(rule);
      if (PROPERTY_NAME.test(name) && parsed.success) properties[name] = parsed.data;
    }
  }
  const event = EventSchema.safeParse(root.event);
  const items = ItemsSchema.safeParse(root.items);
  const where = expr.safeParse(root.where);
  return {
    source: source.success ? source.data : {},
    ...(where.success ? { where: where.data } : {}),
    identity,
    properties,
    ...(event.success ? { event: event.data } : {}),
    ...(items.success ? { items: items.data } : {}),
  };
}
