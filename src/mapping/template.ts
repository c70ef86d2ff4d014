/**
 * `template: "{Last Name} {First Name}"`: one value built from several columns (or NDJSON paths).
 * Each `{column}` is replaced by its cell (an empty cell by nothing); runs of spaces collapse and
 * the result is trimmed; when every part is empty the value is empty (on an identity field, when
 * any part is). `{{` and `}}` are literal
 * braces. Compiled once into a reader of a row's cells.
 */
import { csvReader, jsonReader } from "./read.js";
import type { CellReader } from "./types.js";

export interface ParsedTemplate {
  /** Literal text around the columns: `texts.length === columns.length + 1`. */
  readonly texts: readonly string[];
  readonly columns: readonly string[];
}

/** Splits a template into its texts and columns, or says what is wrong with it. */
export function parseTemplate(template: string): ParsedTemplate | string {
  const texts: string[] = [];
  const columns: string[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if ((c === "{" || c === "}") && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i + 1);
      const name = end < 0 ? "" : template.slice(i + 1, end);
      if (end < 0) return `a { at character ${i + 1} is never closed (write {{ for a literal {)`;
      if (name.trim() === "" || name.includes("{")) {
        return `{${name}} does not name a column`;
      }
      texts.push(text);
      columns.push(name);
      text = "";
      i = end;
    } else if (c === "}") {
      return `a } at character ${i + 1} closes nothing (write }} for a literal })`;
    } else {
      text += c;
    }
  }
  texts.push(text);
  if (columns.length === 0) return "a template names at least one {column}";
  return { texts, columns };
}

/** A part's text: empty when absent, null, blank or a marker; numbers and booleans as written. */
function partOf(value: unknown, markers: ReadonlySet<string>): string | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" || markers.has(trimmed) ? undefined : value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

const SPACES = / {2,}/g;

/**
 * An identity template's parts must not hold a separator of the template: `{store}-{member}` gives
 * `A-1-2` for `A-1` + `2` and for `A` + `1-2`, two users merged into one. Compiles the check of a
 * row's parts (each as the template uses it: trimmed, spaces collapsed): the problem, or undefined.
 * Undefined when the template has no separator (`{id}`, `shop-{id}`). `read`: a part's reader, for
 * both formats (a path into a JSON column reads its value).
 */
export function separatorCheck(
  parsed: ParsedTemplate,
  template: string,
  read: (column: string) => CellReader = jsonReader,
): ((cells: Readonly<Record<string, unknown>>) => string | undefined) | undefined {
  const separators = [...new Set(parsed.texts.slice(1, -1).filter((t) => t !== ""))].map((t) =>
    t.trim() === "" ? " " : t.replace(SPACES, " "),
  );
  if (separators.length === 0) return undefined;
  const parts = parsed.columns.map((column) => ({ column, read: read(column) }));
  return (cells) => {
    for (const { column, read } of parts) {
      const raw = read(cells);
      if (typeof raw !== "string" && typeof raw !== "number") continue;
      const part = String(raw).trim().replace(SPACES, " ");
      const separator = separators.find((s) => part.includes(s));
      if (separator !== undefined) {
        return `${JSON.stringify(part)} (column ${JSON.stringify(column)}) holds ${JSON.stringify(separator)}, which separates the parts of the template ${JSON.stringify(template)}: the identifier would be ambiguous (another split of it names another user)`;
      }
    }
    return undefined;
  };
}

/**
 * Compiles a parsed template into readers for CSV rows and NDJSON objects; a part equal to one
 * of `markers` (the rule's `empty_values`) is empty. With `whole` (an identity field) one empty
 * part makes the value empty: `{store}-{member}` with no store is no identifier, never `-100`,
 * which would name someone else or nobody.
 */
export function templateReaders(
  parsed: ParsedTemplate,
  markers: readonly string[] = [],
  whole = false,
  readCsv: (column: string) => CellReader = csvReader,
): { readCsv: CellReader; readJson: CellReader } {
  const empties: ReadonlySet<string> = new Set(markers.map((m) => m.trim()));
  const compile = (read: (column: string) => CellReader): CellReader => {
    const readers = parsed.columns.map(read);
    const { texts } = parsed;
    return (cells) => {
      let out = texts[0] as string;
      let any = false;
      for (let i = 0; i < readers.length; i++) {
        const raw = (readers[i] as CellReader)(cells);
        // An object or a list is not text: handed on as is, for the conversion to refuse.
        if (typeof raw === "object" && raw !== null) return raw;
        const part = partOf(raw, empties);
        if (part !== undefined) {
          out += part;
          any = true;
        } else if (whole) {
          return undefined;
        }
        out += texts[i + 1] as string;
      }
      return any ? out.replace(SPACES, " ").trim() : undefined;
    };
  };
  return { readCsv: compile(readCsv), readJson: compile(jsonReader) };
}
