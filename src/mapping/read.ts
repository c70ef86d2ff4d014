import type { CellReader } from "./types.js";

type Cells = Readonly<Record<string, unknown>>;

/** CSV/TSV: the cell of a header name, as is (dots are part of the name). */
export function csvReader(column: string): CellReader {
  return (cells: Cells) => (Object.hasOwn(cells, column) ? cells[column] : undefined);
}

/**
 * The steps of an NDJSON path: `addresses.0.city` and `addresses[0].city` are both
 * `addresses`, `0`, `city`.
 */
export function pathParts(column: string): string[] {
  return column.replace(INDEX, ".$1").split(".");
}

const INDEX = /\[(\d+)\]/g;

/**
 * NDJSON: a dotted path into the object (`user.id`, `stats.points`); a number steps into an array
 * (`addresses.0.city`, or `addresses[0].city`). A top-level key spelled with the dots wins, so flat
 * objects exported from a spreadsheet read as they look.
 */
export function jsonReader(column: string): CellReader {
  const parts = pathParts(column);
  if (parts.length === 1) return csvReader(column);
  return (cells: Cells) => {
    if (Object.hasOwn(cells, column)) return cells[column];
    let node: unknown = cells;
    for (const part of parts) node = step(node, part);
    return node;
  };
}

function step(node: unknown, part: string): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  if (Array.isArray(node)) return ARRAY_INDEX.test(part) ? node[Number(part)] : undefined;
  return Object.hasOwn(node, part) ? (node as Cells)[part] : undefined;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
