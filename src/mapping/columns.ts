import { InputError } from "../errors.js";
import { closest } from "./suggest.js";
import type { Mapping } from "./types.js";

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
  const uses: [string, string][] = [
    ...mapping.identity.flatMap((r) =>
      r.columns.map((c): [string, string] => [c, `identity.${r.name}`]),
    ),
    ...mapping.properties.flatMap((r): [string, string][] =>
      r.kind === "column"
        ? r.columns.map((c): [string, string] => [c, `properties.${r.name}`])
        : [],
    ),
  ];
  for (const [column, usedBy] of uses) {
    if (header.has(column)) continue;
    missing.set(column, [...(missing.get(column) ?? []), usedBy]);
  }
  return [...missing].map(([column, usedBy]) => {
    const suggestion = closest(column, columns);
    return suggestion === undefined ? { column, usedBy } : { column, usedBy, suggestion };
  });
}

/**
 * Checks a CSV/TSV header before the first row: throws an InputError listing every mapped column
 * the header lacks, with a "did you mean" when a header name is close.
 */
export function checkColumns(mapping: Mapping, columns: readonly string[], file: string): void {
  const missing = findMissingColumns(mapping, columns);
  if (missing.length === 0) return;
  const lines = missing.map((m) => {
    const hint =
      m.suggestion === undefined ? "" : `; did you mean ${JSON.stringify(m.suggestion)}?`;
    return `  ${JSON.stringify(m.column)} (${m.usedBy.join(", ")})${hint}`;
  });
  const count = missing.length === 1 ? "a column" : `${missing.length} columns`;
  throw new InputError(
    file,
    `the header lacks ${count} the mapping reads:\n${lines.join("\n")}`,
    1,
  );
}
