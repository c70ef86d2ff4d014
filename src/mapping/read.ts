import type { CellReader } from "./types.js";

type Cells = Readonly<Record<string, unknown>>;

/**
 * CSV/TSV: the cell of a header name, as is (dots are part of the name). A row is a plain object:
 * only a name Object.prototype has (`constructor`, `toString`, `__proto__`) can read a value the
 * row does not hold, so only such a name is asked for the row's own (a look-up more a cell read).
 */
export function csvReader(column: string): CellReader {
  if (column in Object.prototype) {
    return (cells: Cells) => (Object.hasOwn(cells, column) ? cells[column] : undefined);
  }
  return (cells: Cells) => cells[column];
}

/**
 * The steps of an NDJSON path: `addresses.0.city` and `addresses[0].city` are both
 * `addresses`, `0`, `city`; `event_params[key=page_location]` is `event_params`, then the first
 * element of that list whose `key` is the text `page_location`.
 */
export function pathParts(column: string): Step[] {
  const steps: Step[] = [];
  for (const part of column.replace(INDEX, ".$1").replace(LOOKUP, ".[$1]").split(".")) {
    const lookup = /^\[([^=\]]+)=([^\]]*)\]$/.exec(part);
    steps.push(lookup === null ? part : { key: lookup[1] as string, equals: lookup[2] as string });
  }
  return steps;
}

/** A step of a path: a key or index, or a key/value lookup in a list (`[key=page_location]`). */
export type Step = string | { readonly key: string; readonly equals: string };

const INDEX = /\[(\d+)\]/g;
const LOOKUP = /\[([^=\][]+=[^\]]*)\]/g;

/**
 * NDJSON: a dotted path into the object (`user.id`, `stats.points`); a number steps into an array
 * (`addresses.0.city`, or `addresses[0].city`). A top-level key spelled with the dots wins, so flat
 * objects exported from a spreadsheet read as they look.
 *
 * One reader a path, shared by whoever reads it, that gives the value the path's keeping reader
 * (keepingJsonReader) kept for the record, if it is that record: a dry run counts every mapped
 * path's presence in a record (paths.ts) and the mapping then reads the same paths of the same
 * record, which costs one comparison the second time. A record is never changed once read (the
 * source makes a new object a line).
 */
export function jsonReader(column: string): CellReader {
  return sharedPath(column).read;
}

/**
 * The path's reader that keeps the value of the record it read, for jsonReader's reads of that
 * record after it (the dry run's presence count, paths.ts). Only that reading keeps: a delivery
 * reads each path of a record once, and keeping cost it two stores a path and an event into the
 * reader's long-lived closure (a young record and value in an old closure: a write barrier's slow
 * path each).
 */
export function keepingJsonReader(column: string): CellReader {
  return sharedPath(column).keep;
}

function sharedPath(column: string): PathReaders {
  const known = shared.get(column);
  if (known !== undefined) return known;
  const readers = pathReaders(column);
  if (shared.size < MAX_SHARED) shared.set(column, readers);
  return readers;
}

interface PathReaders {
  /** Reads the path (the value kept for this very record, if it is the one kept). */
  readonly read: CellReader;
  /** Reads the path and keeps the value for the record. */
  readonly keep: CellReader;
}

const shared = new Map<string, PathReaders>();
/** Paths come from mappings: a few dozen. A process that reads more makes the rest unshared. */
const MAX_SHARED = 1_000;

/**
 * The readers of one path, sharing the value of the record kept last. A path of one step is a
 * top-level key, read as csvReader reads it; a longer one is walked a step at a time, its steps
 * compiled once (an array index as a number: not matched against a pattern every record). One
 * closure a path: the dry run's presence count calls each mapped path's reader for every record
 * (paths.ts), a call more a path was ~0.04 µs a record of the bench's NDJSON (six paths).
 */
function pathReaders(column: string): PathReaders {
  const parts = pathParts(column);
  const top = parts.length === 1 ? csvReader(column) : undefined;
  const steps = top === undefined ? parts.map(compiledStep) : []; // a top-level key walks none
  const walk = (cells: Cells): unknown => {
    if (top !== undefined) return top(cells);
    if (Object.hasOwn(cells, column)) return cells[column];
    let node: unknown = cells;
    for (let i = 0; i < steps.length; i++) node = step(node, steps[i] as CompiledStep);
    return node;
  };
  let last: Cells | undefined;
  let value: unknown;
  // Keeping goes through `read`: in a dry run, whose mapping reads only kept records, `read`'s
  // walk is still called (by `keep`), so a delivery after it in one process (the bench) finds
  // it compiled for both answers, not deoptimized at its first record.
  const read = (cells: Cells): unknown => (cells === last ? value : walk(cells));
  const keep = (cells: Cells): unknown => {
    const found = read(cells);
    value = found;
    last = cells;
    return found;
  };
  return { read, keep };
}

/** A step of a path: a key, with its value as an array index (-1: none), or a lookup. */
interface CompiledStep {
  readonly key: string;
  readonly index: number;
  readonly lookup: Exclude<Step, string> | undefined;
}

function compiledStep(part: Step): CompiledStep {
  if (typeof part !== "string") return { key: part.key, index: -1, lookup: part };
  return { key: part, index: ARRAY_INDEX.test(part) ? Number(part) : -1, lookup: undefined };
}

function step(node: unknown, part: CompiledStep): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  if (part.lookup !== undefined) return Array.isArray(node) ? lookup(node, part.lookup) : undefined;
  if (Array.isArray(node)) return part.index === -1 ? undefined : node[part.index];
  return Object.hasOwn(node, part.key) ? (node as Cells)[part.key] : undefined;
}

/** The first element whose `key` is the text `equals` (a number or true/false as written too). */
function lookup(list: readonly unknown[], { key, equals }: Exclude<Step, string>): unknown {
  for (const element of list) {
    if (typeof element !== "object" || element === null) continue;
    const value = (element as Cells)[key];
    if (value === equals) return element;
    if (
      value !== undefined &&
      value !== null &&
      typeof value !== "object" &&
      String(value) === equals
    ) {
      return element;
    }
  }
  return undefined;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
