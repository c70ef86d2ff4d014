/**
 * Which columns make rows fail, for the summary: a whole column in an unstated format shows as one
 * line (`가입일시: 198 rows INVALID_VALUE "2024-05-14 오후 3:05:12"`) instead of 198 dead letters
 * to read. Memory is bounded by the mapping (its columns × the failure codes), never by the rows.
 */

import type { CellError } from "../errors.js";
import { canStringify } from "../util/exact-number.js";

export interface FailingColumn {
  readonly column: string;
  readonly field: string | null;
  readonly code: string;
  /** Rows that failed on this column with this code. */
  readonly rows: number;
  /**
   * The first failing value, as read; undefined when it cannot be written as JSON (nested too
   * deeply), so that the report and the summary can still be written.
   */
  readonly example: unknown;
}

export class FailingColumns {
  readonly #byKey = new Map<string, { -readonly [K in keyof FailingColumn]: FailingColumn[K] }>();

  /** Counts one row's cell errors (a row counts once per column and code). */
  add(errors: readonly CellError[]): void {
    const seen = new Set<string>();
    for (const e of errors) {
      if (e.column === undefined) continue;
      const key = `${e.column}\u0000${e.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = this.#byKey.get(key);
      if (entry !== undefined) entry.rows++;
      else {
        this.#byKey.set(key, {
          column: e.column,
          field: e.field ?? null,
          code: e.code,
          rows: 1,
          example: canStringify(e.value) ? e.value : undefined,
        });
      }
    }
  }

  /** The `limit` columns with the most failing rows, most first. */
  top(limit = 5): FailingColumn[] {
    return [...this.#byKey.values()]
      .sort((a, b) => b.rows - a.rows || a.column.localeCompare(b.column))
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }
}

const MAX_SHOWN = 40;

/** One summary line: `가입일시: 198 rows INVALID_VALUE "2024-05-14 오후 3:05:12"`. */
export function formatFailingColumn(f: FailingColumn): string {
  const text = typeof f.example === "string" ? f.example : JSON.stringify(f.example);
  const shown =
    text === undefined ? "" : text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  const rows = f.rows === 1 ? "1 row" : `${f.rows.toLocaleString("en-US")} rows`;
  return `${f.column}: ${rows} ${f.code} ${JSON.stringify(shown)}`;
}
