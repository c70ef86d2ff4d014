/**
 * The property catalog: the names registered in the DFINERY console and their types. The standard
 * and consent properties are registered in every service and cannot change type.
 */

import { PROPERTY_TYPES, type PropertyType, STANDARD_PROPERTIES } from "../api/dfinery.js";

export type Catalog = Readonly<Record<string, PropertyType>>;

/** What the body rules need: the registered types, and whether unknown names are accepted. */
export interface PropertyRules {
  readonly types: ReadonlyMap<string, PropertyType>;
  /** True without a catalog: any name is accepted (values must still be scalars or arrays). */
  readonly open: boolean;
}

const TYPE_NAMES: ReadonlySet<string> = new Set(PROPERTY_TYPES);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every problem with a catalog (a JSON object name → type name), each naming its property. */
export function catalogProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ["catalog must be a JSON object of property name → type"];
  const problems: string[] = [];
  for (const [name, type] of Object.entries(value)) {
    if (typeof type !== "string" || !TYPE_NAMES.has(type)) {
      const expected = PROPERTY_TYPES.join(", ");
      problems.push(
        `property ${name} has unknown type ${JSON.stringify(type)} (one of ${expected})`,
      );
      continue;
    }
    const standard = STANDARD_PROPERTIES[name];
    if (standard !== undefined && standard !== type) {
      problems.push(`property ${name} is a standard property of type ${standard}, not ${type}`);
    }
  }
  return problems;
}

/** The checked catalog, or its problems. */
export function parseCatalog(
  value: unknown,
): { readonly catalog: Catalog } | { readonly problems: string[] } {
  const problems = catalogProblems(value);
  return problems.length > 0 ? { problems } : { catalog: value as Catalog };
}

export function propertyRules(catalog: Catalog | undefined): PropertyRules {
  const types = new Map<string, PropertyType>(Object.entries(STANDARD_PROPERTIES));
  for (const [name, type] of Object.entries(catalog ?? {})) types.set(name, type);
  return { types, open: catalog === undefined };
}
