/**
 * The events part of an extended catalog: each registered event name with its event properties
 * and item properties, name → type. Standard event and item properties (api/events.ts) keep their
 * types. Without an events part, any event name, property and item property is accepted (the
 * standard ones with their types).
 */

import type { PropertyType } from "../api/dfinery.js";
import { type EventNameRules, type EventRules, STANDARD_EVENT_RULES } from "../api/event-rules.js";
import { STANDARD_EVENT_PROPERTIES, STANDARD_ITEM_PROPERTIES } from "../api/events.js";
import { closedRules } from "../api/profile-rules.js";
import { isPlainObject } from "../util/plain-object.js";
import { type PropertyCatalog, propertyCatalogProblems } from "./property-catalog.js";

export interface EventDefinition {
  readonly properties?: Readonly<Record<string, PropertyType>>;
  readonly items?: Readonly<Record<string, PropertyType>>;
}
export type EventCatalog = Readonly<Record<string, EventDefinition>>;

const DEFINITION_KEYS: ReadonlySet<string> = new Set(["properties", "items"]);
const EMPTY: PropertyCatalog = {};

export function eventCatalogProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ["events must be an object of event name → definition"];
  const problems: string[] = [];
  for (const [name, definition] of Object.entries(value)) {
    if (!isPlainObject(definition)) {
      problems.push(`event ${name} must be an object with properties and items`);
      continue;
    }
    for (const key of Object.keys(definition)) {
      if (!DEFINITION_KEYS.has(key)) problems.push(`event ${name}: unknown key ${key}`);
    }
    problems.push(...partProblems(definition.properties, `event ${name} property`, true));
    problems.push(...partProblems(definition.items, `event ${name} item property`, false));
  }
  return problems;
}

function partProblems(value: unknown, what: string, ofEvent: boolean): string[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [`${what}s must be an object of name → type`];
  const standard = ofEvent ? STANDARD_EVENT_PROPERTIES : STANDARD_ITEM_PROPERTIES;
  return propertyCatalogProblems(value, what, standard);
}

/** Event rules: any event with the standard properties without an events catalog, else closed. */
export function eventRules(events: EventCatalog | undefined): EventRules {
  if (events === undefined) return STANDARD_EVENT_RULES;
  const registered = new Map<string, EventNameRules>();
  for (const [name, definition] of Object.entries(events)) {
    registered.set(name, {
      properties: closedRules(EMPTY, definition.properties ?? EMPTY, false),
      items: closedRules(EMPTY, definition.items ?? EMPTY, false),
    });
  }
  return { registered };
}
