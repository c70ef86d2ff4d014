/**
 * The API's rules for an identity and for user properties, as the guide states them (see
 * dfinery-api.md): what the emulator answers 40001 to, and what a replay of stored payloads checks
 * before it sends them. Each check returns the first problem it finds, in words fit for a 40001
 * VALIDATION_FAILURE message, or undefined.
 */

import { ExactNumber } from "../util/exact-number.js";
import { isPlainObject } from "../util/plain-object.js";
import {
  GENDER_VALUES,
  IDENTITY_FIELDS,
  MAX_PROPERTIES_BYTES,
  type PropertyType,
  STANDARD_PROPERTIES,
} from "./dfinery.js";
import { conformsTo, isRealDatetime, propertiesByteLength } from "./value-types.js";

/** What the property rules need: the registered types, and whether unknown names are accepted. */
export interface PropertyRules {
  readonly types: ReadonlyMap<string, PropertyType>;
  /** True without a catalog: any name is accepted (values must still be scalars or arrays). */
  readonly open: boolean;
}

/** Rules of the standard and consent properties, any other name accepted: a service we know nothing of. */
export function closedRules(
  standard: Readonly<Record<string, PropertyType>>,
  registered: Readonly<Record<string, PropertyType>>,
  open: boolean,
): PropertyRules {
  const types = new Map<string, PropertyType>(Object.entries(standard));
  for (const [name, type] of Object.entries(registered)) types.set(name, type);
  return { types, open };
}

/** The rules every service has: the standard and consent properties typed, other names open. */
export const STANDARD_RULES: PropertyRules = closedRules(STANDARD_PROPERTIES, {}, true);

const IDENTITY_NAMES: ReadonlySet<string> = new Set(IDENTITY_FIELDS);
const GENDERS: ReadonlySet<unknown> = new Set(GENDER_VALUES);

export function identityProblem(identity: unknown): string | undefined {
  if (!isPlainObject(identity)) return "identity must be an object";
  let named = false;
  for (const [key, value] of Object.entries(identity)) {
    if (!IDENTITY_NAMES.has(key)) {
      return `identity.${key} is not an identity field (${IDENTITY_FIELDS.join(", ")})`;
    }
    if (typeof value !== "string") return `identity.${key} must be a string`;
    if (value !== "") named = true;
  }
  return named ? undefined : `identity needs a non-empty ${IDENTITY_FIELDS.join(", ")}`;
}

/** A body's keys: none beyond `fields`, every one of `fields` present. `path` names the endpoint. */
export function bodyFieldsProblem(
  body: Record<string, unknown>,
  fields: readonly string[],
  path: string,
): string | undefined {
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) return `unknown field ${key}; ${path} takes ${fields.join(", ")}`;
  }
  for (const key of fields) {
    if (body[key] === undefined) return `${key} is required`;
  }
  return undefined;
}

export function requestDatetimeProblem(value: unknown): string | undefined {
  if (typeof value === "string" && isRealDatetime(value)) return undefined;
  return "request_datetime must be an ISO-8601 UTC datetime like 2024-05-14T06:05:46.363Z";
}

export function propertiesProblem(properties: unknown, rules: PropertyRules): string | undefined {
  if (!isPlainObject(properties)) return "user_properties must be an object";
  for (const [name, value] of Object.entries(properties)) {
    const problem = propertyProblem(name, value, rules);
    if (problem !== undefined) return problem;
  }
  const bytes = propertiesByteLength(properties);
  if (bytes > MAX_PROPERTIES_BYTES) {
    return `user_properties is ${bytes} bytes, over the ${MAX_PROPERTIES_BYTES}-byte limit`;
  }
  return undefined;
}

/**
 * A registered property must have a value of its type (null clears it, so it fits every type);
 * `df_gender` must be one of GENDER_VALUES. An unregistered name is refused with a catalog and
 * accepted without one, as long as its value is a scalar or an array of strings or of numbers.
 */
export function propertyProblem(
  name: string,
  value: unknown,
  rules: PropertyRules,
): string | undefined {
  const type = rules.types.get(name);
  if (type === undefined) {
    if (!rules.open) return `property ${name} is not registered`;
    if (isScalarOrArray(value)) return undefined;
    return `property ${name} must be a string, number, boolean, null or an array of strings or of numbers`;
  }
  if (!conformsTo(type, value)) return `property ${name} must be of type ${type}`;
  if (name === "df_gender" && value !== null && !GENDERS.has(value)) {
    return `property df_gender must be one of ${GENDER_VALUES.join(", ")}`;
  }
  return undefined;
}

function isNumber(value: unknown): boolean {
  return typeof value === "number" || value instanceof ExactNumber;
}

function isScalarOrArray(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      if (value instanceof ExactNumber) return true; // a number JSON.parse would round
      return (
        Array.isArray(value) && (value.every((e) => typeof e === "string") || value.every(isNumber))
      );
    default:
      return false;
  }
}
