/**
 * The rules of an events request body (`POST /api/v1/events`), as api/events.ts reads the guide:
 * `{common: {identity}, events: [1..100 events]}`, at most 100 items over all events, every event
 * with a UUID `event_log_id`, a registered `event_name`, a Datetime `event_datetime`, registered
 * properties and item properties of their types. One invalid event refuses the whole request.
 * What the emulator answers 40001 (or 40402) to, and what a replay of stored events checks before
 * it sends them.
 */

import { isPlainObject } from "../util/plain-object.js";
import {
  COMMON_FIELDS,
  EVENT_FIELDS,
  EVENTS_BODY_FIELDS,
  type EventsRequestBody,
  MAX_EVENTS_PER_REQUEST,
  MAX_ITEMS_PER_REQUEST,
  REQUIRED_EVENT_FIELDS,
  STANDARD_EVENT_PROPERTIES,
  STANDARD_ITEM_PROPERTIES,
  UUID_PATTERN,
} from "./events.js";
import {
  closedRules,
  identityProblem,
  type PropertyRules,
  propertyProblem,
} from "./profile-rules.js";
import { isRealDatetime } from "./value-types.js";

/** How events are judged: per registered name, or any name by the standard rules. */
export interface EventRules {
  /** undefined: any event name, judged by STANDARD_NAME_RULES. */
  readonly registered: ReadonlyMap<string, EventNameRules> | undefined;
}
export interface EventNameRules {
  readonly properties: PropertyRules;
  readonly items: PropertyRules;
}

/**
 * The rules every service has: the standard event and item properties typed (api/events.ts),
 * any other name accepted with a scalar or array value.
 */
const STANDARD_NAME_RULES: EventNameRules = {
  properties: closedRules(STANDARD_EVENT_PROPERTIES, {}, true),
  items: closedRules(STANDARD_ITEM_PROPERTIES, {}, true),
};

/** No event registered: any name, standard properties typed (a service we know nothing of). */
export const STANDARD_EVENT_RULES: EventRules = { registered: undefined };

export type EventsCheck =
  | { readonly ok: true; readonly body: EventsRequestBody }
  | { readonly ok: false; readonly tooMany: boolean; readonly problem: string };

export function checkEventsBody(body: Record<string, unknown>, rules: EventRules): EventsCheck {
  const refuse = (problem: string) => ({ ok: false, tooMany: false, problem }) as const;
  const shape =
    unknownKey(body, EVENTS_BODY_FIELDS, "") ??
    (isPlainObject(body.common)
      ? (unknownKey(body.common, COMMON_FIELDS, "common.") ??
        prefixed("common.", identityProblem(body.common.identity)))
      : "common must be an object with identity");
  if (shape !== undefined) return refuse(shape);
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0) {
    return refuse("events must be a non-empty array");
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    const problem = `${events.length} events, over ${MAX_EVENTS_PER_REQUEST} per request`;
    return { ok: false, tooMany: true, problem };
  }
  let items = 0;
  for (const event of events) {
    if (isPlainObject(event) && Array.isArray(event.event_items)) items += event.event_items.length;
  }
  if (items > MAX_ITEMS_PER_REQUEST) {
    const problem = `${items} event items, over ${MAX_ITEMS_PER_REQUEST} per request`;
    return { ok: false, tooMany: true, problem };
  }
  for (const [index, event] of events.entries()) {
    const problem = eventProblem(event, rules);
    if (problem !== undefined) return refuse(`events[${index}]: ${problem}`);
  }
  return { ok: true, body: body as unknown as EventsRequestBody };
}

function eventProblem(event: unknown, rules: EventRules): string | undefined {
  if (!isPlainObject(event)) return "an event must be an object";
  const shape = unknownKey(event, EVENT_FIELDS, "");
  if (shape !== undefined) return shape;
  for (const key of REQUIRED_EVENT_FIELDS) {
    if (event[key] === undefined) return `${key} is required`;
  }
  const { event_log_id: id, event_name: name, event_datetime: datetime } = event;
  if (typeof id !== "string" || !UUID_PATTERN.test(id)) return "event_log_id must be a UUID";
  if (typeof name !== "string" || name === "") return "event_name must be a non-empty string";
  if (typeof datetime !== "string" || !isRealDatetime(datetime)) {
    return "event_datetime must be an ISO-8601 UTC datetime like 2024-05-14T06:05:46.363Z";
  }
  const named = rules.registered === undefined ? STANDARD_NAME_RULES : rules.registered.get(name);
  if (named === undefined) return `event ${name} is not registered`;
  return (
    propertiesProblem(event.event_properties, named.properties, "event_properties", "property") ??
    itemsProblem(event.event_items, named.items)
  );
}

function itemsProblem(items: unknown, rules: PropertyRules): string | undefined {
  if (items === undefined) return undefined;
  if (!Array.isArray(items)) return "event_items must be an array";
  for (const [index, item] of items.entries()) {
    const problem = propertiesProblem(item, rules, `event_items[${index}]`, "item property");
    if (problem !== undefined) return `event_items[${index}]: ${problem}`;
  }
  return undefined;
}

function propertiesProblem(
  value: unknown,
  rules: PropertyRules,
  field: string,
  what: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return `${field} must be an object`;
  for (const [name, v] of Object.entries(value)) {
    const problem = propertyProblem(name, v, rules);
    if (problem !== undefined) return problem.replace(/^property /, `${what} `);
  }
  return undefined;
}

function unknownKey(
  object: Record<string, unknown>,
  fields: readonly string[],
  prefix: string,
): string | undefined {
  for (const key of Object.keys(object)) {
    if (!fields.includes(key)) return `unknown field ${prefix}${key} (${fields.join(", ")})`;
  }
  return undefined;
}

const prefixed = (prefix: string, problem: string | undefined): string | undefined =>
  problem === undefined ? undefined : `${prefix}${problem}`;
