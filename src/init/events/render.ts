/**
 * The event draft as YAML, a comment on every choice saying what in the sample it rests on. Where
 * the sample does not decide, a TODO_ value: the mapping does not load until it is written
 * (mapping/placeholder.ts), so nothing is sent on a guess.
 */
import { q, ruleLines, yamlTransforms } from "../draft.js";
import { countryLines, type DraftReading, readingLines } from "../draft-source.js";
import type { EventPlan } from "./plan.js";
import type { DraftProperty } from "./properties.js";

/** `reading`: how the file was read (given or found); default: its sample's format and encoding. */
export function renderEventDraft(
  plan: EventPlan,
  input: string,
  reading: DraftReading = {
    format: plan.sample.format,
    encoding: plan.sample.encoding,
    encodingGiven: false,
  },
): string {
  const { sample } = plan;
  const lines = [
    `# Draft events mapping written by import-events init from ${input}`,
    `# (${sample.rows.length} sample rows). Each comment says what in the sample a choice rests on.`,
    "# A TODO_ value does not load: write what its comment asks for. Event names, event and item",
    "# properties must be registered in the DFINERY console; try the mapping with --dry-run first.",
    ...readingLines(reading),
  ];
  lines.push(`  # ${plan.zone.evidence}`, `  timezone: ${plan.zone.zone}`);
  if (plan.person.field !== undefined) lines.push(...countryLines(plan.person.country, false));
  if (plan.where !== undefined) {
    lines.push(`# ${plan.where.evidence}`, `# where: ${q(plan.where.expr)}`);
  }
  lines.push("identity:", ...comments(plan.person.evidence, "  "));
  const person = plan.person;
  if (person.field === undefined) lines.push("  external_id: TODO_person_column");
  else {
    const transform =
      person.transform.length === 0 ? "" : `, transform: ${yamlTransforms(person.transform)}`;
    lines.push(`  ${person.field}: { column: ${q(person.column)}${transform} }`);
  }
  lines.push("event:", `  # ${plan.name.evidence}`);
  const name = plan.name;
  if (name.kind === "constant") lines.push(`  name: { value: ${name.value} }`);
  else {
    lines.push("  name:", `    column: ${q(name.column)}`, "    values:");
    for (const v of name.values) lines.push(`      ${q(v.from)}: ${q(v.to)} # ${v.note}`);
  }
  lines.push(`  # ${plan.time.evidence}`);
  const time = plan.time;
  if (time.column === undefined) lines.push("  datetime: { column: TODO_time_column }");
  else lines.push(...ruleLines("datetime", time.column, { ...time.guess, type: "String" }, "  "));
  lines.push(`  # ${plan.id.evidence}`);
  const { id } = plan;
  if (id.column !== undefined) {
    const transform =
      id.transform === undefined ? "" : `, transform: ${yamlTransforms(id.transform)}`;
    lines.push(`  id: { column: ${q(id.column)}${transform} }`);
  }
  lines.push("properties:");
  if (plan.lineTotal !== undefined) {
    const column = plan.lineTotal.replace(/['\\]/g, "\\$&");
    lines.push(
      `  # ${q(plan.lineTotal)} varies within an order and is named like a total: the order's total is the sum of its lines'`,
      `  df_total_purchase_amount: { expr: ${q(`sum(rows.map(r, number(r['${column}'])))`)}, type: Double }`,
    );
  }
  lines.push(...propertyLines(plan.properties, "  "));
  for (const { column, why } of plan.left) lines.push(`  # ${q(column)}: ${why}; not mapped`);
  if (plan.properties.length === 0 && plan.lineTotal === undefined) lines.push("  {}");
  const items = plan.items;
  if (items !== undefined) {
    lines.push("items:", `  # ${items.evidence}`);
    lines.push(
      items.kind === "from" ? `  from: ${q(items.path)}` : `  group_by: ${q(items.column)}`,
      "  properties:",
      ...propertyLines(items.properties, "    "),
    );
  }
  return `${lines.join("\n")}\n`;
}

const comments = (texts: readonly string[], indent: string) => texts.map((t) => `${indent}# ${t}`);

/** Each property with its evidence, a TODO_ name said as such, an empty column as a comment. */
function propertyLines(properties: readonly DraftProperty[], indent: string): string[] {
  return properties.flatMap((p) => {
    if (p.guess === undefined) return [`${indent}# ${q(p.column)}: ${p.evidence}; not mapped`];
    return [
      `${indent}# ${q(p.column)}: ${p.evidence}`,
      ...(p.todo
        ? [`${indent}# TODO: ${p.name} stands for the name registered in the console`]
        : []),
      ...ruleLines(p.name, p.column, p.guess, indent),
    ];
  });
}
