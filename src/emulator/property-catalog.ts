/**
 * One name → type part of a catalog: the profile properties, or an event's properties or item
 * properties. Every part is checked the same way: known type names, and the standard names keep
 * their fixed types. Shared by the whole catalog (catalog.ts) and its events part (event-catalog.ts).
 */
import { PROPERTY_TYPES, type PropertyType } from "../api/dfinery.js";

/** Property name → type. */
export type PropertyCatalog = Readonly<Record<string, PropertyType>>;

const TYPE_NAMES: ReadonlySet<string> = new Set(PROPERTY_TYPES);

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
