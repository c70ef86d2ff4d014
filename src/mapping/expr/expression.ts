/**
 * One expression of a mapping (`where:`, `expr:`, `items.expr:`), compiled and type-checked once
 * at load; a row then costs one call. An expression that cannot be evaluated for a row gives an
 * Invalid (EXPRESSION_FAILED) naming it, never a thrown error.
 */
import { ExactNumber } from "../../util/exact-number.js";
import { Invalid } from "../convert/invalid.js";
import { CEL, fromCel } from "./cel.js";
import { celContext } from "./cel-row.js";
import { readsOf } from "./reads.js";

type Cells = Readonly<Record<string, unknown>>;

export interface Expression {
  /** As written in the mapping. */
  readonly text: string;
  /** The headers it reads by a literal name (`row['상품가격']`, `row.email`): checked like columns. */
  readonly columns: readonly string[];
  /** Its value for a row (`rows`: the row's group, default `[row]`), or why it has none. */
  evaluate(row: Cells, rows?: readonly Cells[]): unknown;
}

/** What a result must be: any value, a bool (`where`), a list (`items.expr`). */
export type Expected = "value" | "bool" | "list";

const SHOWN = 60;

/** The expression as a message shows it: quoted, cut when long. */
export function showExpression(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > SHOWN ? `${flat.slice(0, SHOWN)}…` : flat);
}

/** Compiles an expression, or says (a sentence) why it cannot be. */
export function compileExpression(text: string, expected: Expected = "value"): Expression | string {
  let parsed: ReturnType<typeof CEL.parse>;
  try {
    parsed = CEL.parse(text);
  } catch (error) {
    return `not an expression: ${summaryOf(error)}`;
  }
  const checked = parsed.check();
  if (!checked.valid) return summaryOf(checked.error);
  const type = checked.type ?? "dyn";
  if (expected === "bool" && type !== "bool" && type !== "dyn") {
    return `gives a ${type}; where needs true or false`;
  }
  if (expected === "list" && !type.startsWith("list") && type !== "dyn") {
    return `gives a ${type}; items.expr needs a list`;
  }
  const shown = showExpression(text);
  const reads = readsOf(parsed.ast);
  const context = celContext(reads);
  const columns = reads.headers;
  const evaluate = (row: Cells, rows?: readonly Cells[]): unknown => {
    const variables = context(row, rows);
    try {
      return fromCel(parsed(variables));
    } catch (error) {
      const why = `${summaryOf(error)}${numberHint(error, columns, variables.row)}`;
      return new Invalid(`expression ${shown} failed: ${why}`, "EXPRESSION_FAILED");
    }
  };
  return { text, columns, evaluate };
}

/**
 * After a refusal of an operator or function for its numbers' types (an int and a double in `%`,
 * a number beyond int64): the numbers the expression read, with their CEL types, and the way out.
 */
function numberHint(error: unknown, columns: readonly string[], row: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (!/no such overload/.test(message) || !/\b(int|double|ExactNumber)\b/.test(message)) return "";
  const record = (typeof row === "object" && row !== null ? row : {}) as Cells;
  const numbers = columns.flatMap((name) => {
    const type = celNumberType(record[name]);
    return type === undefined ? [] : [`row.${name} is ${type} (${String(record[name])})`];
  });
  const read = numbers.length === 0 ? "" : ` ${numbers.join(", ")}:`;
  if (message.includes("ExactNumber")) {
    return `;${read} a number beyond int64 or a double's digits is kept as written, for string() (exact) or double() (rounded)`;
  }
  return `;${read} CEL does not mix int and double here, convert one with int() or double()`;
}

function celNumberType(value: unknown): string | undefined {
  if (typeof value === "bigint") return "an int";
  if (typeof value === "number") return "a double";
  return value instanceof ExactNumber ? "an exact number" : undefined;
}

function summaryOf(error: unknown): string {
  if (error instanceof Error) {
    const summary = (error as Error & { summary?: unknown }).summary;
    const where = (error as Error & { range?: { start?: number } }).range?.start;
    const at = typeof where === "number" ? ` (at character ${where + 1})` : "";
    return `${typeof summary === "string" ? summary : error.message.split("\n")[0]}${at}`;
  }
  return String(error);
}
