/**
 * The expression language of a mapping: CEL (cel-spec), through @marcbachmann/cel-js, with the
 * variables `row` (the record) and `rows` (a group's records) and the functions a mapping needs
 * beyond standard CEL: `replace` of the strings extension (the library has the rest of it),
 * `number(x)` (text read as a Double cell reads it) and `sum(list)`, and an int and a double
 * mixing in `+ - * /`. A record's numbers reach it as cel-row.ts says. Built once, through the
 * library's public Environment API; no code runs from a mapping file.
 */
import { Environment, EvaluationError } from "@marcbachmann/cel-js";
import { ExactNumber } from "../../util/exact-number.js";
import { Invalid } from "../convert/invalid.js";
import { toDouble } from "../convert/number.js";

/** A CEL value as a cell: an int (a BigInt) as a number, or as its digits beyond 2^53. */
export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : new ExactNumber(String(value));
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  }
  if (typeof value === "object" && value !== null && !(value instanceof ExactNumber)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      out[key] = fromCel((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function exactInt(n: ExactNumber): bigint {
  try {
    return BigInt(n.text);
  } catch {
    throw new EvaluationError(`int(): ${n.text} is not an integer`);
  }
}

/** `number(x)`: a text as a Double cell reads it (thousands separators, exponent), a number as is. */
function number(value: unknown): number {
  const read = toDouble(typeof value === "bigint" ? Number(value) : value);
  if (read instanceof Invalid) throw new EvaluationError(`number(): ${read.detail}`);
  return read;
}

/** `sum(list)`: the sum of a list of numbers (ints, doubles, or texts number() reads), a double. */
function sum(list: readonly unknown[]): number {
  let total = 0;
  for (const value of list) total += number(value);
  return total;
}

export const CEL = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable("row", "map", {
    description: "The record: a CSV row (header → cell text) or an NDJSON object",
  })
  .registerVariable("rows", "list", {
    description: "The rows of a group_by event, in file order; [row] elsewhere",
  })
  .registerFunction(
    "string.replace(string, string): string",
    (s: string, from: string, to: string) => s.replaceAll(from, to),
  )
  .registerFunction(
    "string.replace(string, string, int): string",
    (s: string, from: string, to: string, n: bigint) => {
      if (n < 0n) return s.replaceAll(from, to);
      const parts = s.split(from);
      const kept = Number(n) + 1;
      if (parts.length <= kept) return parts.join(to);
      return parts.slice(0, kept).join(to) + from + parts.slice(kept).join(from);
    },
  )
  // An NDJSON number a double cannot hold (a 64-bit id) is an ExactNumber: its digits as written.
  .registerType("ExactNumber", ExactNumber)
  .registerFunction("string(ExactNumber): string", (n: ExactNumber) => n.text)
  .registerFunction("int(ExactNumber): int", (n: ExactNumber) => exactInt(n))
  .registerFunction("double(ExactNumber): double", (n: ExactNumber) => Number(n.text))
  .registerFunction("number(dyn): double", number)
  .registerFunction("sum(list): double", sum);

/**
 * Arithmetic mixing an int and a double gives a double (`row.qty * row.price` with 2 and 9.9):
 * standard CEL refuses it, which would refuse a row for the digits it was written with (`9.0`
 * reads as the int 9). int with int stays int (`7 / 2` is 3), as in CEL.
 */
const MIXED: readonly [string, (a: number, b: number) => number][] = [
  ["+", (a, b) => a + b],
  ["-", (a, b) => a - b],
  ["*", (a, b) => a * b],
  ["/", (a, b) => a / b],
];
for (const [op, apply] of MIXED) {
  CEL.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(Number(a), b));
  CEL.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(a, Number(b)));
}
