/**
 * The sample as columns for an event draft: each column's cells in row order. An NDJSON list of
 * `{key, value}` pairs (GA4's `event_params`) becomes one column per key, read by the path a
 * mapping names (`event_params[key=page_title].value.string_value`), the value's field the one the
 * sample fills for that key.
 */
import { csvReader, jsonReader } from "../../mapping/read.js";
import { isPlainObject } from "../../util/plain-object.js";
import type { Sample } from "../sample.js";

export interface EventColumns {
  readonly sample: Sample;
  /** The columns in order, a key/value list replaced by its keys' paths. */
  readonly names: readonly string[];
  readonly cells: ReadonlyMap<string, readonly unknown[]>;
  /** The key/value lists: their path → the paths made from their keys. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** What a column's comment must add: a key's value also in another field, not read. */
  readonly notes: ReadonlyMap<string, string>;
}

export function eventColumns(sample: Sample): EventColumns {
  const json = sample.format === "ndjson";
  const read = (c: string) => (json ? jsonReader(c) : csvReader(c));
  const column = (c: string) => {
    const reader = read(c);
    return sample.rows.map((row) => reader(row));
  };
  const names: string[] = [];
  const cells = new Map<string, readonly unknown[]>();
  const lists = new Map<string, string[]>();
  const notes = new Map<string, string>();
  for (const name of sample.columns) {
    const values = column(name);
    const keyed = json ? keyPaths(name, values, notes) : undefined;
    if (keyed === undefined) {
      names.push(name);
      cells.set(name, values);
      continue;
    }
    lists.set(name, keyed);
    for (const path of keyed) {
      names.push(path);
      cells.set(path, column(path));
    }
  }
  return { sample, names, cells, lists, notes };
}

const KEY = /^[A-Za-z0-9_]+$/;

/** A list of `{key, value}` objects in every filled cell: the path of each key's value. */
function keyPaths(
  list: string,
  values: readonly unknown[],
  notes: Map<string, string>,
): string[] | undefined {
  const elements = values.filter(Array.isArray).flat();
  if (elements.length === 0) return undefined;
  const pairs = elements.every(
    (e) => isPlainObject(e) && typeof e.key === "string" && "value" in e,
  );
  if (!pairs) return undefined;
  // Per key, how often each field of its value is filled (GA4: string_value, int_value, …).
  const fields = new Map<string, Map<string, number>>();
  for (const e of elements as { key: string; value: unknown }[]) {
    if (!KEY.test(e.key)) continue;
    const seen = fields.get(e.key) ?? new Map<string, number>();
    fields.set(e.key, seen);
    const value = e.value;
    if (!isPlainObject(value)) seen.set("", (seen.get("") ?? 0) + 1);
    else
      for (const [field, v] of Object.entries(value)) {
        if (v !== null && v !== undefined) seen.set(field, (seen.get(field) ?? 0) + 1);
      }
  }
  return [...fields].flatMap(([key, seen]) => {
    const [best, ...others] = [...seen].sort((a, b) => b[1] - a[1]);
    if (best === undefined) return [];
    const path = `${list}[key=${key}].value${best[0] === "" ? "" : `.${best[0]}`}`;
    if (others.length > 0) {
      const also = others.map(([field, n]) => `${field} in ${n}`).join(", ");
      notes.set(path, `its key's value is also in ${also} cells, not read: map that field too`);
    }
    return [path];
  });
}

/** The filled cells as trimmed texts (numbers written as text). */
export function filled(values: readonly unknown[]): string[] {
  return values.flatMap((v) =>
    typeof v === "string" && v.trim() !== ""
      ? [v.trim()]
      : typeof v === "number" || typeof v === "boolean"
        ? [String(v)]
        : [],
  );
}

/** `n` of `of` as a percentage: `75 %`. */
export const pct = (n: number, of: number) => `${Math.round((n / Math.max(of, 1)) * 1000) / 10} %`;
