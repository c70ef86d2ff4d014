/**
 * A table's header: its column names, and the row object built from a record's cells (CSV, TSV,
 * a worksheet). Names are kept exactly as written; they may repeat or be empty (spreadsheets write
 * `비고,비고` and trailing commas): the mapping check refuses only a repeated name that it reads.
 */
export interface Header<T> {
  readonly columns: readonly string[];
  /** Builds a row object from cells (one per column). */
  readonly toCells: (cells: readonly T[]) => Record<string, T>;
}

export function headerOf<T>(columns: readonly string[]): Header<T> {
  return {
    columns,
    toCells: columns.includes("__proto__") ? definingCells(columns) : assigningCells(columns),
  };
}

function assigningCells<T>(columns: readonly string[]) {
  return (cells: readonly T[]): Record<string, T> => {
    const row: Record<string, T> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = cells[i] as T;
    return row;
  };
}

/** For a column named `__proto__`, which plain assignment would not create. */
function definingCells<T>(columns: readonly string[]) {
  return (cells: readonly T[]): Record<string, T> => {
    const row: Record<string, T> = {};
    for (const [i, name] of columns.entries()) {
      Object.defineProperty(row, name, {
        value: cells[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return row;
  };
}
