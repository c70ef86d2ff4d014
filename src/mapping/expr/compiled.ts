/**
 * A mapping's expression compiled at load, its problem (with its path, so with its YAML line)
 * added to the load's issues.
 */
import type { PathIssue } from "../types.js";
import { compileExpression, type Expected, type Expression } from "./expression.js";

export function compiled(
  text: string,
  path: readonly (string | number)[],
  issues: PathIssue[],
  expected: Expected = "value",
): Expression | undefined {
  const out = compileExpression(text, expected);
  if (typeof out !== "string") return out;
  issues.push({ path: [...path], message: out });
  return undefined;
}
