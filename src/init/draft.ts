/**
 * The draft mapping `init` writes: YAML with a comment on every choice saying its evidence, so the
 * user reviews what was found instead of guessing names. What the sample does not tell is a TODO_
 * value, which does not load until written (src/mapping/placeholder.ts).
 */

import type { Transform } from "../mapping/convert/transform.js";
import { PROPERTY_NAME } from "../mapping/schema.js";
import { type DraftSource, q, sourceLines } from "./draft-source.js";
import type { Identities } from "./identity.js";
import type { ColumnGuess } from "./infer.js";

export interface DraftColumn {
  readonly column: string;
  /** undefined: empty in the whole sample, left out. */
  readonly guess: ColumnGuess | undefined;
}

export interface DraftInput {
  readonly input: string;
  readonly rows: number;
  readonly source: DraftSource;
  readonly identities: Identities;
  readonly columns: readonly DraftColumn[];
  /** A suggested df_name from the name columns, in the order the headers' language writes them. */
  readonly nameTemplate?: { readonly template: string; readonly evidence: string };
}

export const TODO_ID_COLUMN = "TODO_id_column";

export { q };

export function yamlTransforms(transforms: readonly Transform[]): string {
  const items = transforms.map((t) => {
    if (typeof t === "string") return t;
    const [key, value] = Object.entries(t)[0] as [string, unknown];
    return `{ ${key}: ${Array.isArray(value) ? `[${value.map((v) => q(String(v))).join(", ")}]` : q(String(value))} }`;
  });
  return `[${items.join(", ")}]`;
}

/**
 * The property name: the header when it is a valid (non-df_) name, else a TODO_ name (always for
 * `generated` column names: a headerless file's `column_3` names nothing).
 */
export function propertyName(
  column: string,
  index: number,
  used: Set<string>,
  generated = false,
): { name: string; todo: boolean } {
  const plain =
    !generated &&
    PROPERTY_NAME.test(column) &&
    !column.startsWith("df_") &&
    !column.startsWith("TODO_");
  let name = plain
    ? column
    : `TODO_${
        column
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "_")
          .replace(/^_+|_+$/g, "") || `column_${index + 1}`
      }`;
  const base = name;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return { name, todo: !plain };
}

/** True when the file maps to identities alone: every column is an identity, or empty. */
export function identitiesOnly(d: DraftInput): boolean {
  const identity = new Set(d.identities.found.map((i) => i.column));
  return (
    d.identities.found.length > 0 &&
    d.columns.every((c) => identity.has(c.column) || c.guess === undefined || c.guess.skip === true)
  );
}

/** The draft's text; `standIns`: values in place of the placeholders, for init's dry run. */
export function renderDraft(d: DraftInput, standIns = false): string {
  const lines: string[] = [];
  lines.push(
    `# Draft mapping written by import-profiles init from ${d.input}`,
    `# (${d.rows} sample rows). Review every comment. A TODO_ value is what the sample could not`,
    "# tell: the mapping does not load until you write it. A TODO_ property stands for the property's",
    "# name as registered in the DFINERY console: rename it. Nothing is sent by this file until you",
    "# run import-profiles with it; try it first with --dry-run.",
    ...sourceLines(d.source, d.identities, standIns),
  );
  lines.push("identity:");
  if (d.identities.found.length === 0) {
    lines.push(
      "  # TODO: no identifier found; name the column of member ids, e-mails or phone numbers",
      `  external_id: ${q(standIns ? (d.columns[0]?.column ?? TODO_ID_COLUMN) : TODO_ID_COLUMN)}`,
    );
  }
  for (const id of d.identities.found) {
    lines.push(`  # ${id.evidence}`);
    const transform =
      id.transform.length === 0 ? "" : `, transform: ${yamlTransforms(id.transform)}`;
    lines.push(`  ${id.field}: { column: ${q(id.column)}${transform} }`);
  }
  for (const c of d.identities.rejected) lines.push(`  # not ${c.field}: ${c.rejected}`);
  const properties = lines.push("properties:");
  if (d.nameTemplate !== undefined) {
    lines.push(
      `  # suggested: DFINERY's name property from the name columns, ${d.nameTemplate.evidence} (uncomment to use)`,
      `  # df_name: { template: ${q(d.nameTemplate.template)} }`,
    );
  }
  const identityColumns = new Set(d.identities.found.map((i) => i.column));
  const headerless = d.source.headerless !== undefined;
  const used = new Set<string>();
  d.columns.forEach(({ column, guess }, index) => {
    if (identityColumns.has(column)) return;
    if (guess === undefined) {
      lines.push(`  # ${q(column)}: empty in every sample row; not mapped`);
      return;
    }
    const { name, todo } = propertyName(column, index, used, headerless);
    lines.push(`  # ${q(column)}: ${guess.evidence}`);
    if (todo) lines.push(`  # TODO: ${name} stands for the name registered in the console`);
    if (guess.suggest !== undefined) {
      lines.push(`  # may be DFINERY's ${guess.suggest}: rename it so only if it is (you decide)`);
    }
    lines.push(...ruleLines(name, column, guess, "  "));
  });
  // An identities-only file (an e-mail list): a mapping of its identity alone, for `identities`.
  if (identitiesOnly(d)) {
    lines[properties - 1] =
      "# no properties: the file holds identities only. Send it with dfinery-import identities (it links each row's identifiers into one person), or use it with dfinery-import delete; import-profiles needs a property to update";
  }
  return `${lines.join("\n")}\n`;
}

/** The YAML of one property rule `name` reading `column` as `guess` says, at `indent`. */
export function ruleLines(
  name: string,
  column: string,
  guess: ColumnGuess,
  indent: string,
): string[] {
  const parts = [`column: ${q(column)}`];
  if (guess.type !== "String") parts.push(`type: ${guess.type}`);
  if (guess.format !== undefined) parts.push(`format: ${q(guess.format)}`);
  if (guess.transform !== undefined) parts.push(`transform: ${yamlTransforms(guess.transform)}`);
  if (guess.skip === true) return [`${indent}# ${name}: { ${parts.join(", ")} }`];
  if (guess.values === undefined) return [`${indent}${name}: { ${parts.join(", ")} }`];
  return [
    `${indent}${name}:`,
    ...parts.map((part) => `${indent}  ${part}`),
    `${indent}  values:`,
    ...Object.entries(guess.values).map(
      ([key, value]) => `${indent}    ${q(key)}: ${typeof value === "string" ? q(value) : value}`,
    ),
  ];
}
