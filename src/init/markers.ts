/**
 * Null markers: a value an export writes for "no value" (`-`, `N/A`, `없음`, `0000-00-00`). One that
 * fills cells of several columns, or most of one column, is proposed as `source.empty_values`, and
 * every other guess (types, identities) reads those cells as empty. Only these spellings are
 * markers: a word that may be a value (`none`, `0`) never is.
 */

/** The spellings of "no value" exports write, compared trimmed and as written. */
export const EMPTY_MARKERS: ReadonlySet<string> = new Set([
  "-",
  "--",
  "---",
  ".",
  "N/A",
  "n/a",
  "NA",
  "#N/A",
  "null",
  "NULL",
  "(null)",
  "nil",
  "없음",
  "해당없음",
  "미입력",
  "0000-00-00",
  "0000-00-00 00:00:00",
]);

export interface MarkerEvidence {
  readonly marker: string;
  /** Cells holding it, over the sample. */
  readonly cells: number;
  /** The columns it appears in. */
  readonly columns: readonly string[];
}

type Cells = ReadonlyMap<string, readonly unknown[]>;

/**
 * The markers of a sample, most used first: a marker in at least two columns, or in at least a
 * tenth of one column's cells (a Cafe24 export's `-` in every empty phone cell).
 */
export function findEmptyMarkers(cells: Cells): MarkerEvidence[] {
  const found = new Map<string, { cells: number; columns: string[]; most: number }>();
  for (const [column, values] of cells) {
    const counts = new Map<string, number>();
    for (const v of values) {
      const text = typeof v === "string" ? v.trim() : undefined;
      if (text !== undefined && EMPTY_MARKERS.has(text)) {
        counts.set(text, (counts.get(text) ?? 0) + 1);
      }
    }
    for (const [marker, n] of counts) {
      const entry = found.get(marker) ?? { cells: 0, columns: [], most: 0 };
      entry.cells += n;
      entry.columns.push(column);
      entry.most = Math.max(entry.most, n / values.length);
      found.set(marker, entry);
    }
  }
  return [...found]
    .filter(([, e]) => e.cells >= 2 && (e.columns.length >= 2 || e.most >= 0.1))
    .map(([marker, e]) => ({ marker, cells: e.cells, columns: e.columns }))
    .sort((a, b) => b.cells - a.cells);
}

/** The cells with the markers read as empty (undefined), for every other guess. */
export function withoutMarkers(
  values: readonly unknown[],
  markers: ReadonlySet<string>,
): unknown[] {
  if (markers.size === 0) return [...values];
  return values.map((v) => (typeof v === "string" && markers.has(v.trim()) ? undefined : v));
}
