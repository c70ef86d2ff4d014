/**
 * The catalog: the names registered in the DFINERY console and their types. Two forms:
 *  - flat, profile properties only: `{"points": "Long", …}`;
 *  - extended: `{"profile": {…flat…}, "events": {"df_purchase": {"properties": {…}, "items": {…}}}}`
 *    (see event-catalog.ts for the events part).
 * The standard and consent properties are registered in every service and cannot change type.
 */

import { STANDARD_PROPERTIES } from "../api/dfinery.js";
import { closedRules, type PropertyRules } from "../api/profile-rules.js";
import { isPlainObject } from "../util/plain-object.js";
import { type EventCatalog, eventCatalogProblems } from "./event-catalog.js";
import { type PropertyCatalog, propertyCatalogProblems } from "./property-catalog.js";

export interface ExtendedCatalog {
  readonly profile?: PropertyCatalog;
  readonly events?: EventCatalog;
}
export type Catalog = PropertyCatalog | ExtendedCatalog;

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

/** The events part of an extended catalog; undefined when it registers none. */
export function eventCatalog(catalog: Catalog | undefined): EventCatalog | undefined {
  return catalog !== undefined && isExtended(catalog) ? catalog.events : undefined;
}

/** Profile rules: standard properties plus the catalog's; open without a profile catalog. */
export function propertyRules(catalog: Catalog | undefined): PropertyRules {
  const profile = profileCatalog(catalog);
  return closedRules(STANDARD_PROPERTIES, profile ?? {}, profile === undefined);
}
