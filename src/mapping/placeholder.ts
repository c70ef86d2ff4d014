/**
 * `TODO_` values: what `init` writes where the sample does not decide (a time zone, an event name,
 * a column). A mapping holding one does not load: the draft's comment above it says what to write,
 * and a guess that loads would send wrong data. Only whole values are placeholders; a property
 * *name* `TODO_x` (a key) is a name like any other.
 */
import type { PathIssue } from "./types.js";

export const PLACEHOLDER = /^TODO_/;
/** How a placeholder's problem is said: a load problem that holds it is a TODO_ left to write. */
export const LEFT_BY_INIT = "is a placeholder left by init: write what its comment asks for";

/** Every string value of the written mapping that is a placeholder, with its path. */
export function placeholderIssues(
  data: unknown,
  path: readonly (string | number)[] = [],
): PathIssue[] {
  if (typeof data === "string") {
    return PLACEHOLDER.test(data)
      ? [
          {
            path,
            message: `${JSON.stringify(data)} ${LEFT_BY_INIT}`,
          },
        ]
      : [];
  }
  if (Array.isArray(data)) return data.flatMap((v, i) => placeholderIssues(v, [...path, i]));
  if (typeof data === "object" && data !== null) {
    return Object.entries(data).flatMap(([k, v]) => placeholderIssues(v, [...path, k]));
  }
  return [];
}
