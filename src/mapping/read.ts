import type { CellReader } from "./types.js";

type Cells = Readonly<Record<string, unknown>>;

/** CSV/TSV: the cell of a header name, as is (dots are part of the name). */
export function csvReader(column: string): CellReader {
  return (cells: Cells) => (Object.hasOwn(cells, column) ? cells[column] : undefined);
}

/**
 * NDJSON: a dotted path into the object (`user.id`, `stats.points`). A top-level key spelled with
 * the dots wins, so flat objects exported from a spreadsheet read as they look.
 */
export function jsonReader(column: string): CellReader {
  const parts = column.split(".");
  if (parts.length === 1) return csvReader(column);
  return (cells: Cells) => {
    if (Object.hasOwn(cells, column)) return cells[column];
    let node: unknown = cells;
    for (const part of parts) {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
      if (!Object.hasOwn(node, part)) return undefined;
      node = (node as Cells)[part];
    }
    return node;
  };
}
