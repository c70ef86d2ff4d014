import type * as z from "zod";
import { show } from "./convert/invalid.js";
import { knownKeys } from "./schema.js";
import { didYouMean } from "./suggest.js";
import type { PathIssue } from "./types.js";

type Path = readonly (string | number)[];

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function kind(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value === "string" ? "text" : `a ${typeof value}`} ${show(value)}`;
}

const toPath = (path: readonly PropertyKey[]): (string | number)[] =>
  path.map((p) => (typeof p === "number" ? p : String(p)));

/** zod's issues as messages a person editing the YAML can act on, each at its path. */
export function fromZod(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  base: Path = [],
): PathIssue[] {
  const out: PathIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...toPath(issue.path)];
    const value = valueAt(data, path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push({
            path: [...path, key],
            message: `unknown key \`${key}\`${didYouMean(key, knownKeys(path))}`,
          });
        }
        break;
      case "invalid_union": {
        // Report the branch that matches the kind of value written (text vs mapping).
        const matching = issue.errors.filter(
          (branch) => !branch.some((i) => i.path.length === 0 && i.code === "invalid_type"),
        );
        const [only] = matching;
        if (matching.length === 1 && only !== undefined) out.push(...fromZod(only, data, path));
        else out.push({ path, message: `${issue.message}, got ${kind(value)}` });
        break;
      }
      case "invalid_type":
        out.push({
          path,
          message:
            value === undefined ? "is required" : `expected ${issue.expected}, got ${kind(value)}`,
        });
        break;
      case "invalid_value": {
        const allowed = issue.values.map(String);
        const hint = typeof value === "string" ? didYouMean(value, allowed, "") : "";
        out.push({ path, message: `${show(value)} is not one of ${allowed.join(", ")}${hint}` });
        break;
      }
      case "invalid_key":
        out.push({ path, message: issue.issues[0]?.message ?? issue.message });
        break;
      case "too_small":
        out.push({
          path,
          message: typeof value === "string" ? "must not be empty" : issue.message,
        });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/**
 * `propertes:` gives "unknown key (did you mean `properties`?)": no need to also say that the key
 * it meant is missing, or empty ("map at least one property").
 */
export function dropRequiredBehindTypos(issues: PathIssue[]): PathIssue[] {
  const suggested = new Set<string>();
  for (const issue of issues) {
    const m = /\(did you mean `([^`]+)`\?\)$/.exec(issue.message);
    if (m?.[1] !== undefined) suggested.add([...issue.path.slice(0, -1), m[1]].join("."));
  }
  return issues.filter((i) => !suggested.has(i.path.join(".")));
}
