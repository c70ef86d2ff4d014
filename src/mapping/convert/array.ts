import type { ExactNumber } from "../../util/exact-number.js";
import { EMPTY, type Empty, Invalid, show } from "./invalid.js";

type ElementConverter = (value: unknown) => string | number | ExactNumber | Invalid;

import type { Step } from "./transform.js";

export interface ArrayCellOptions {
  /** Converts one trimmed, transformed element to the element type. */
  readonly element: ElementConverter;
  /** The transforms, applied to each element. */
  readonly transform: Step | undefined;
  /** What separates elements in text: `,` unless the mapping says otherwise. */
  readonly split: string;
}

/**
 * Compiles an Array cell converter. Text is split, each element trimmed, empty elements dropped,
 * the rest transformed and converted; text with no element at all counts as an empty cell. A JSON
 * array is converted element by element (`[]` is sent as `[]`). One bad element makes the row
 * invalid, and the message names it.
 */
export function makeArrayConverter(
  options: ArrayCellOptions,
): (
  value: unknown,
  cells?: Readonly<Record<string, unknown>>,
) => string[] | number[] | Invalid | Empty {
  const { element, transform, split } = options;

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
    if (typeof value === "string") return convertAll(value.split(split), value, true, cells);
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
