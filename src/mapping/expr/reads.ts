/**
 * What an expression reads of its records, from its tree: the header names it reads literally
 * (`row['a b']`, `row.a`, and the same on the variable of a macro over `rows`, `rows.map(r,
 * r['금액'])`), checked against a CSV header like columns; the keys it reads of `row`, and whether
 * it reads `row` otherwise or `rows` at all, which say how much of a record CEL is given
 * (cel-row.ts).
 */
import type { ASTNode } from "@marcbachmann/cel-js";

export interface Reads {
  /** Header names read literally, from `row` or a macro's record. */
  readonly headers: readonly string[];
  /** The keys read literally of `row`. */
  readonly rowKeys: readonly string[];
  /** Whether `row` is read otherwise (as a whole, or by a computed key). */
  readonly wholeRow: boolean;
  readonly usesRows: boolean;
}

const MACROS: ReadonlySet<string> = new Set(["map", "filter", "all", "exists", "exists_one"]);
const ACCESS: ReadonlySet<string> = new Set([".", ".?", "[]", "[?]"]);

type Node = { op?: string; args?: unknown } | null;

export function readsOf(ast: ASTNode): Reads {
  const headers = new Set<string>();
  const rowKeys = new Set<string>();
  let wholeRow = false;
  let usesRows = false;
  const visit = (node: unknown, records: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, records);
      return;
    }
    if (typeof node !== "object" || node === null || !("op" in node)) return;
    const { op, args } = node as { op: string; args: unknown };
    if (op === "id") {
      if (args === "row") wholeRow = true;
      if (args === "rows") usesRows = true;
      return;
    }
    if (ACCESS.has(op) && Array.isArray(args)) {
      const [on, key] = args as [Node, unknown];
      const name = op === "." || op === ".?" ? key : literal(key);
      if (typeof name === "string" && isId(on, records)) {
        headers.add(name);
        if (on?.args === "row") rowKeys.add(name);
        return;
      }
    }
    if (op === "rcall" && Array.isArray(args)) {
      const [name, on, params] = args as [unknown, Node, unknown];
      if (MACROS.has(String(name)) && on?.op === "id" && on.args === "rows") {
        const variable = (Array.isArray(params) ? params[0] : undefined) as Node | undefined;
        if (variable?.op === "id" && typeof variable.args === "string") {
          usesRows = true;
          visit(params, new Set([...records, variable.args]));
          return;
        }
      }
    }
    visit(args, records);
  };
  visit(ast, new Set(["row"]));
  return { headers: [...headers], rowKeys: [...rowKeys], wholeRow, usesRows };
}

function isId(node: Node, names: ReadonlySet<string>): boolean {
  return node?.op === "id" && typeof node.args === "string" && names.has(node.args);
}

function literal(node: unknown): unknown {
  const n = node as Node;
  return n?.op === "value" && typeof n.args === "string" ? n.args : undefined;
}
