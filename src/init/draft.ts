/**
 * The draft mapping `init` writes: YAML with a comment on every choice, so the user reviews what
 * was found instead of guessing names. It loads as is (test/init checks that on every shape of
 * export); what only the user can know is marked TODO.
 */

import type { Transform } from "../mapping/convert/transform.js";
import { PROPERTY_NAME } from "../mapping/schema.js";
import type { IdentityGuess } from "./identity.js";
import type { ColumnGuess } from "./infer.js";
import type { Sample } from "./sample.js";

export interface DraftColumn {
  readonly column: string;
  /** undefined: empty in the whole sample, left out. */
  readonly guess: ColumnGuess | undefined;
}

export interface DraftInput {
  readonly input: string;
  readonly sample: Sample;
  readonly timezone: string;
  readonly korean: boolean;
  readonly identities: readonly IdentityGuess[];
  readonly columns: readonly DraftColumn[];
  /** `{Last Name} {First Name}` when the file has both, for a suggested df_name. */
  readonly nameTemplate?: string;
}

export const q = (text: string) => JSON.stringify(text);

export function yamlTransforms(transforms: readonly Transform[]): string {
  const items = transforms.map((t) => {
    if (typeof t === "string") return t;
    const [key, value] = Object.entries(t)[0] as [string, unknown];
    return `{ ${key}: ${Array.isArray(value) ? `[${value.map((v) => q(String(v))).join(", ")}]` : q(String(value))} }`;
  });
  return `[${items.join(", ")}]`;
}

/** The property name: the header when it is a valid (non-df_) name, else a TODO_ name. */
export function propertyName(
  column: string,
  index: number,
  used: Set<string>,
): { name: string; todo: boolean } {
  const plain =
    PROPERTY_NAME.test(column) && !column.startsWith("df_") && !column.startsWith("TODO_");
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

export function renderDraft(d: DraftInput): string {
  const lines: string[] = [];
  const { sample } = d;
  lines.push(
    `# Draft mapping written by import-profiles init from ${d.input}`,
    `# (${sample.rows.length} sample rows). Review every comment; replace each TODO_ name by the`,
    "# property's name as registered in the DFINERY console. Nothing is sent by this file until you run",
    "# import-profiles with it; try it first with --dry-run.",
    "source:",
    `  format: ${sample.format}`,
  );
  if (sample.encoding !== "utf8")
    lines.push(`  encoding: ${sample.encoding} # found by strict decoding`);
  lines.push(
    `  timezone: ${d.timezone} # TODO: the zone the date-times were written in${d.korean ? " (Korean text found)" : ""}`,
  );
  lines.push("identity:");
  if (d.identities.length === 0) {
    lines.push(
      "  # TODO: no identifier found; name the column of member ids, e-mails or phone numbers",
    );
    lines.push(`  external_id: ${q(d.columns[0]?.column ?? "id")}`);
  }
  for (const id of d.identities) {
    lines.push(`  # ${id.evidence}`);
    const transform =
      id.transform.length === 0 ? "" : `, transform: ${yamlTransforms(id.transform)}`;
    lines.push(`  ${id.field}: { column: ${q(id.column)}${transform} }`);
  }
  lines.push("properties:");
  if (d.nameTemplate !== undefined) {
    lines.push(
      "  # suggested: DFINERY's name property from the name columns (uncomment to use)",
      `  # df_name: { template: ${q(d.nameTemplate)} }`,
    );
  }
  const identityColumns = new Set(d.identities.map((i) => i.column));
  const used = new Set<string>();
  d.columns.forEach(({ column, guess }, index) => {
    if (identityColumns.has(column)) return;
    if (guess === undefined) {
      lines.push(`  # ${q(column)}: empty in every sample row; not mapped`);
      return;
    }
    const { name, todo } = propertyName(column, index, used);
    lines.push(`  # ${q(column)}: ${guess.evidence}`);
    if (todo) lines.push(`  # TODO: ${name} stands for the name registered in the console`);
    if (guess.suggest !== undefined) {
      lines.push(`  # may be DFINERY's ${guess.suggest}: rename it so only if it is (you decide)`);
    }
    lines.push(...ruleLines(name, column, guess, "  "));
  });
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
