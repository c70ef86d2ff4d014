/**
 * `source.json_columns: [prefs]`: CSV cells holding JSON (a PostgreSQL `jsonb` column, an app's
 * settings blob), read as NDJSON records are: numbers exact (ExactNumber), and paths into them
 * (`prefs.push_consent`, `prefs.channels[0]`). A cell that is not JSON fails the rows that read it.
 */
import { parseJson } from "../util/exact-number.js";
import { Invalid, show } from "./convert/invalid.js";
import { csvReader, jsonReader } from "./read.js";
import type { CellReader } from "./types.js";

type Cells = Readonly<Record<string, unknown>>;

/** A JSON column's cell that is not JSON; `text` is the cell, for the dead letter. */
export class NotJson extends Invalid {
  constructor(
    detail: string,
    readonly text: string,
  ) {
    super(detail);
  }
}

/** The JSON columns of a mapping, each cell parsed once per row however many rules read it. */
export class JsonColumns {
  readonly #names: readonly string[];
  readonly #parsers = new Map<string, (cells: Cells) => unknown>();

  constructor(names: readonly string[]) {
    // The longest name first: `a.b` wins over `a` for the column `a.b.c`.
    this.#names = [...names].sort((x, y) => y.length - x.length);
  }

  /** The JSON column a mapped column reads (itself, or a path into it), if any. */
  columnOf(column: string): string | undefined {
    return jsonColumnOf(column, this.#names);
  }

  /** A CSV reader of `column` when it reads a JSON column; undefined otherwise. */
  reader(column: string): CellReader | undefined {
    const name = this.columnOf(column);
    if (name === undefined) return undefined;
    const parse = this.#parser(name);
    const rest = column
      .slice(name.length)
      .replace(/^\./, "")
      .replace(/^\[(\d+)\]/, "$1");
    if (rest === "") return parse;
    const inner = jsonReader(rest);
    return (cells) => {
      const value = parse(cells);
      if (typeof value !== "object" || value === null || value instanceof Invalid) return value;
      return inner(value as Cells);
    };
  }

  #parser(name: string): (cells: Cells) => unknown {
    let parser = this.#parsers.get(name);
    if (parser === undefined) {
      let last: Cells | undefined;
      let value: unknown;
      parser = (cells) => {
        if (cells !== last) {
          value = parseCell(name, Object.hasOwn(cells, name) ? cells[name] : undefined);
          last = cells;
        }
        return value;
      };
      this.#parsers.set(name, parser);
    }
    return parser;
  }
}

/**
 * The one reader of a mapped CSV column: a path into a JSON column when it names one
 * (`prefs.push_consent`), else the cell as is. Every place that reads a column by name (a
 * property, a template's parts, an identity template's separator check, items) reads through it.
 */
export function csvColumnReader(column: string, json: JsonColumns | undefined): CellReader {
  return json?.reader(column) ?? csvReader(column);
}

/**
 * A reader for both formats (a per-row country's column, `items.from`): a path into a JSON column
 * (CSV), else an NDJSON path, which reads a CSV header as is (a key spelled with dots wins).
 * NDJSON has no JSON columns (refused at load), so one reader serves both.
 */
export function pathReader(column: string, json: JsonColumns | undefined): CellReader {
  return json?.reader(column) ?? jsonReader(column);
}

/** The JSON column (of `names`, longest first) that `column` is or is a path into, if any. */
export function jsonColumnOf(column: string, names: readonly string[]): string | undefined {
  return names.find(
    (name) => column === name || column.startsWith(`${name}.`) || column.startsWith(`${name}[`),
  );
}

/** A cell as JSON: absent when empty, NotJson when it cannot be read. */
function parseCell(name: string, raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  if (raw.trim() === "") return undefined;
  try {
    return parseJson(raw);
  } catch {
    // The parser's own words differ between Node versions, and repeat the cell: not kept.
    return new NotJson(
      `column ${JSON.stringify(name)} (source.json_columns) holds ${show(raw)}, which is not JSON`,
      raw,
    );
  }
}
