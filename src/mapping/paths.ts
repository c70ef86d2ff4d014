/**
 * The NDJSON paths a mapping reads, and how often records hold them: a path that matches nothing
 * (a typo, `addresses.city` for `addresses.0.city`) must not pass as "every row valid, property
 * never sent". Pure: records in, counts and an error message out.
 */

import { InputError } from "../errors.js";
import { ExactNumber } from "../util/exact-number.js";
import { sourceColumns } from "./columns.js";
import { Invalid } from "./convert/invalid.js";
import { JsonColumns, jsonColumnOf } from "./json-cells.js";
import { keepingJsonReader } from "./read.js";
import { closest } from "./suggest.js";
import type { CellReader, Mapping } from "./types.js";

/** How many records the importer reads ahead to check the paths, before the first request. */
export const PATH_SAMPLE = 1_000;

interface MappedPath {
  readonly path: string;
  /** Where the mapping uses it: `identity.email`, `properties.city`. */
  readonly usedBy: string[];
  readonly read: CellReader;
}

/**
 * Every path a mapping reads at the top of a record (a template's too), once, with the places
 * that use it: the identity, the properties, and an event's name, datetime, id and items array.
 */
export function mappedPaths(mapping: Mapping): MappedPath[] {
  const byPath = new Map<string, MappedPath>();
  const add = (path: string, usedBy: string) => {
    const known = byPath.get(path);
    if (known === undefined)
      byPath.set(path, { path, usedBy: [usedBy], read: keepingJsonReader(path) });
    else known.usedBy.push(usedBy);
  };
  for (const rule of mapping.identity)
    for (const c of rule.columns) add(c, `identity.${rule.name}`);
  for (const rule of mapping.properties) {
    if (rule.kind === "column") for (const c of rule.columns) add(c, `properties.${rule.name}`);
  }
  for (const c of sourceColumns(mapping)) add(c, "source.country");
  const { event, items } = mapping;
  if (event !== undefined) {
    for (const [name, rule] of Object.entries(event)) {
      if (rule?.kind === "column") for (const c of rule.columns) add(c, `event.${name}`);
    }
  }
  // Item properties are paths inside each element of `items.from`: the array's path is checked.
  if (items?.from !== undefined) add(items.from.path, "items.from");
  return [...byPath.values()];
}

/** Counts, per mapped path, the records in which it is present (any value, null included). */
export class PathPresence {
  readonly #paths: MappedPath[];
  readonly #counts: number[];
  #records = 0;

  constructor(mapping: Mapping) {
    this.#paths = mappedPaths(mapping);
    this.#counts = this.#paths.map(() => 0);
  }

  count(cells: Readonly<Record<string, unknown>>): void {
    this.#records++;
    for (let i = 0; i < this.#paths.length; i++) {
      if ((this.#paths[i] as MappedPath).read(cells) !== undefined) {
        this.#counts[i] = (this.#counts[i] as number) + 1;
      }
    }
  }

  get records(): number {
    return this.#records;
  }

  /** Path → in how many records it was present. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    this.#paths.forEach((p, i) => {
      out[p.path] = this.#counts[i] as number;
    });
    return out;
  }

  /** The mapped paths present in none of the records counted. */
  absent(): MappedPath[] {
    return this.#paths.filter((_, i) => this.#counts[i] === 0);
  }
}

/**
 * Refuses, with an InputError, a mapping whose paths occur in none of `records` (the first
 * PATH_SAMPLE records of the file, or all of a smaller one), with a "did you mean" from the paths
 * that do occur. Nothing is refused when no record was read.
 */
export function checkPaths(
  mapping: Mapping,
  records: readonly Readonly<Record<string, unknown>>[],
  file: string,
  only: (path: string) => boolean = () => true,
): void {
  if (records.length === 0) return;
  const presence = new PathPresence(mapping);
  for (const cells of records) presence.count(cells);
  const absent = presence.absent().filter((p) => only(p.path));
  if (absent.length === 0) return;
  const seen = new Set<string>();
  for (const cells of records) pathsOf(cells, "", seen, 0);
  const candidates = [...seen];
  const lines = absent.map((p) => {
    const match = closest(p.path, candidates);
    const hint = match === undefined ? "" : `; did you mean ${JSON.stringify(match)}?`;
    return `  ${JSON.stringify(p.path)} (${p.usedBy.join(", ")})${hint}`;
  });
  const which =
    records.length === 1
      ? "the only record does not have"
      : `none of the first ${records.length.toLocaleString("en-US")} records has`;
  const what = absent.length === 1 ? "a path" : `${absent.length} paths`;
  throw new InputError(file, `the mapping reads ${what} that ${which}:\n${lines.join("\n")}`);
}

/**
 * CSV/TSV with source.json_columns: the paths into those columns are checked as NDJSON paths are,
 * on the first records with their JSON cells parsed (a typo, `prefs.push_consnt`, would otherwise
 * send nothing, silently). A JSON column the header lacks is left to the header check.
 */
export function checkJsonColumnPaths(
  mapping: Mapping,
  records: readonly Readonly<Record<string, unknown>>[],
  file: string,
): void {
  const names = mapping.source.jsonColumns ?? [];
  const [first] = records;
  if (first === undefined || names.length === 0) return;
  const json = new JsonColumns(names);
  const inHeader = names.filter((name) => Object.hasOwn(first, name));
  const parsed = records.map((cells) => {
    const out: Record<string, unknown> = { ...cells };
    for (const name of inHeader) {
      const value = json.reader(name)?.(cells);
      out[name] = value instanceof Invalid ? undefined : value;
    }
    return out;
  });
  const into = (path: string) => {
    const column = jsonColumnOf(path, inHeader);
    return column !== undefined && column !== path;
  };
  checkPaths(mapping, parsed, file, into);
}

const MAX_DEPTH = 6;
const MAX_PATHS = 2_000;

/** The paths of a record, `a.b`, `list.0.c` (arrays by their first two elements), bounded. */
function pathsOf(node: unknown, prefix: string, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || out.size >= MAX_PATHS) return;
  if (Array.isArray(node)) {
    node.slice(0, 2).forEach((child, i) => {
      const path = `${prefix}.${i}`;
      out.add(path);
      pathsOf(child, path, out, depth + 1);
    });
    return;
  }
  if (typeof node !== "object" || node === null || node instanceof ExactNumber) return;
  for (const key of Object.keys(node)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    out.add(path);
    pathsOf((node as Record<string, unknown>)[key], path, out, depth + 1);
  }
}
