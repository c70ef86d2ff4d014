/**
 * The mapping's row filter (`where:`), for every kind: a row for which it is false is filtered
 * (counted, never sent, never a failure), one for which it cannot be evaluated fails with
 * EXPRESSION_FAILED. With CSV `items.group_by` the group's first row decides for the whole group
 * (an event is kept or left out whole). Pure: cells in, the decision out.
 */
import { type RowFailure, rowFailure } from "../errors.js";
import { Invalid } from "../mapping/convert/invalid.js";
import { type Expression, showExpression } from "../mapping/expr/expression.js";
import { isGroupKey, sameKey } from "../mapping/item-groups.js";
import type { CellReader, Mapping } from "../mapping/types.js";

type Cells = Readonly<Record<string, unknown>>;

/** Kept (true), filtered (false), or the row's failure. */
export type Decision = boolean | RowFailure;

export class RowFilter {
  readonly #where: Expression;
  readonly #groupKey: CellReader | undefined;
  #group: { readonly key: unknown; readonly line: number; readonly decision: Decision } | undefined;

  constructor(where: Expression, groupKey: CellReader | undefined) {
    this.#where = where;
    this.#groupKey = groupKey;
  }

  /** The filter of a mapping, if it has one: `where`, grouped as its items are. */
  static of(mapping: Mapping | null): RowFilter | undefined {
    const where = mapping?.where;
    return where === undefined ? undefined : new RowFilter(where, mapping?.items?.groupBy?.read);
  }

  decide(cells: Cells, line: number): Decision {
    if (this.#groupKey === undefined) return this.#evaluate(cells);
    const key = this.#groupKey(cells);
    const group = this.#group;
    if (group !== undefined && isGroupKey(key) && sameKey(group.key, key)) {
      if (typeof group.decision === "boolean") return group.decision;
      const message = `the where of its group's first row, line ${group.line}, failed (${group.decision.message})`;
      return rowFailure("mapping", "EXPRESSION_FAILED", message, "where");
    }
    const decision = this.#evaluate(cells);
    this.#group = { key: isGroupKey(key) ? key : Symbol("own"), line, decision };
    return decision;
  }

  #evaluate(cells: Cells): Decision {
    const value = this.#where.evaluate(cells);
    if (typeof value === "boolean") return value;
    const message =
      value instanceof Invalid
        ? value.detail
        : `where ${showExpression(this.#where.text)} gave ${JSON.stringify(value) ?? String(value)}, not true or false`;
    return rowFailure("mapping", "EXPRESSION_FAILED", message, "where");
  }
}
