/**
 * The catalog: the names registered in the DFINERY console and their types. Two forms:
 *  - flat, profile properties only: `{"points": "Long", …}`;
 *  - extended: `{"profile": {…flat…}, "events": {"df_purchase": {"properties": {…}, "items": {…}}}}`
 *    (see event-catalog.ts for the events part).
 * The standard and consent properties are registered in every service and cannot change type.
 */

import { PROPERTY_TYPES, type PropertyType, STANDARD_PROPERTIES } from "../api/dfinery.js";
import { closedRules, isPlainObject, type PropertyRules } from "../api/profile-rules.js";
import { type EventCatalog, eventCatalogProblems } from "./event-catalog.js";

/** Property name → type. */
export type PropertyCatalog = Readonly<Record<string, PropertyType>>;
export interface ExtendedCatalog {
  readonly profile?: PropertyCatalog;
  readonly events?: EventCatalog;
}
export type Catalog = PropertyCatalog | ExtendedCatalog;

const TYPE_NAMES: ReadonlySet<string> = new Set(PROPERTY_TYPES);
const EXTENDED_KEYS: ReadonlySet<string> = new Set(["profile", "events"]);

/** Extended when a top-level value is an object: in the flat form every value is a type name. */
export function isExtended(catalog: unknown): catalog is ExtendedCatalog {
  return isPlainObject(catalog) && Object.values(catalog).some(isPlainObject);
}

/** Every problem with a catalog of either form, each naming its place. */
export function catalogProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ["catalog must be a JSON object of property name → type"];
  if (!isExtended(value)) return propertyCatalogProblems(value, "property", STANDARD_PROPERTIES);
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!EXTENDED_KEYS.has(key)) problems.push(`unknown catalog section ${key} (profile, events)`);
  }
  if (value.profile !== undefined) {
    if (isPlainObject(value.profile)) {
      problems.push(
        ...propertyCatalogProblems(value.profile, "profile property", STANDARD_PROPERTIES),
      );
    } else problems.push("profile must be an object of property name → type");
  }
  if (value.events !== undefined) problems.push(...eventCatalogProblems(value.events));
  return problems;
}

/** Problems of a name → type object; `standard` names keep their fixed types. */
export function propertyCatalogProblems(
  value: Record<string, unknown>,
  what: string,
  standard: Readonly<Record<string, PropertyType>>,
): string[] {
  const problems: string[] = [];
  for (const [name, type] of Object.entries(value)) {
    if (typeof type !== "string" || !TYPE_NAMES.has(type)) {
      const expected = PROPERTY_TYPES.join(", ");
      problems.push(
        `${what} ${name} has unknown type ${JSON.stringify(type)} (one of ${expected})`,
      );
      continue;
    }
    const fixed = standard[name];
    if (fixed !== undefined && fixed !== type) {
      problems.push(`${what} ${name} is a standard property of type ${fixed}, not ${type}`);
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

/** The profile properties of a catalog of either form; undefined when it registers none. */
export function profileCatalog(catalog: Catalog | undefined): PropertyCatalog | undefined {
  if (catalog === undefined) return undefined;
  return isExtended(catalog) ? catalog.profile : (catalog as PropertyCatalog);
}

/** Profile rules: standard properties plus the catalog's; open without a profile catalog. */
export function propertyRules(catalog: Catalog | undefined): PropertyRules {
  const profile = profileCatalog(catalog);
  return closedRules(STANDARD_PROPERTIES, profile ?? {}, profile === undefined);
}
