import type { ExactNumber } from "../../util/exact-number.js";
import { EMPTY, type Empty, Invalid, show } from "./invalid.js";
import { parsePgArray } from "./pg-array.js";
import type { Step } from "./transform.js";

type ElementConverter = (value: unknown) => string | number | ExactNumber | Invalid;

export interface ArrayCellOptions {
  /** Converts one trimmed, transformed element to the element type. */
  readonly element: ElementConverter;
  /** The transforms, applied to each element. */
  readonly transform: Step | undefined;
  /** What separates elements in text: `,` unless the mapping says otherwise. */
  readonly split: string;
  /** source.dialect postgres: text in braces is a PostgreSQL array literal (`{a,"b, c"}`). */
  readonly pgArrays: boolean;
}

/** A cell holding an empty list: JSON's, and (dialect postgres) PostgreSQL's. */
const EMPTY_LIST = "[]";
const EMPTY_PG_ARRAY = "{}";

/**
 * Compiles an Array cell converter. Text is split, each element trimmed, empty elements dropped,
 * the rest transformed and converted; text with no element at all counts as an empty cell. A JSON
 * array, or a PostgreSQL array literal with dialect postgres, is converted element by element,
 * empty and NULL elements dropped. A cell holding an empty list (`[]`; `{}` with dialect postgres)
 * is sent as `[]`: it empties the list in DFINERY. One bad element makes the row invalid, and the
 * message names it.
 */
export function makeArrayConverter(
  options: ArrayCellOptions,
): (
  value: unknown,
  cells?: Readonly<Record<string, unknown>>,
) => string[] | number[] | Invalid | Empty {
  const { element, transform, split, pgArrays } = options;

  const convertAll = (
    items: readonly unknown[],
    whole: unknown,
    fromText: boolean,
    cells: Readonly<Record<string, unknown>> | undefined,
  ) => {
    const out: (string | number | ExactNumber)[] = [];
    for (let i = 0; i < items.length; i++) {
      let item = items[i];
      if (typeof item === "string") {
        item = item.trim();
        if (item === "") continue;
        if (transform !== undefined) {
          const t = transform(item as string, cells);
          if (t instanceof Invalid) return elementProblem(i, whole, t);
          item = t;
        }
      } else if (item === null || item === undefined) {
        continue;
      }
      const value = element(item);
      if (value instanceof Invalid) return elementProblem(i, whole, value);
      out.push(value);
    }
    if (fromText && out.length === 0) return EMPTY;
    return out as string[] | number[];
  };

  return (value, cells) => {
    if (typeof value === "string") {
      const text = value.trim();
      if (text === EMPTY_LIST || (pgArrays && text === EMPTY_PG_ARRAY)) return [];
      if (!pgArrays || !text.startsWith("{")) {
        return convertAll(value.split(split), value, true, cells);
      }
      const items = parsePgArray(text);
      if (!Array.isArray(items)) return new Invalid(`${show(value)} ${items.problem}`);
      return convertAll(items, value, false, cells);
    }
    if (Array.isArray(value)) return convertAll(value, value, false, cells);
    return new Invalid(
      `${show(value)} is not a list (expected text split on ${show(split)} or a JSON array)`,
    );
  };
}

function elementProblem(index: number, whole: unknown, problem: Invalid): Invalid {
  const where = typeof whole === "string" ? ` of ${show(whole)}` : "";
  return new Invalid(`element ${index + 1}${where}: ${problem.detail}`, problem.code);
}
