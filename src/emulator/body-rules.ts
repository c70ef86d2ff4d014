/**
 * The rules a parsed request body must follow. Each check returns the first problem it finds, in
 * words fit for a 40001 VALIDATION_FAILURE message, or undefined.
 */

import {
  GENDER_VALUES,
  IDENTITIES_PATH,
  IDENTITY_FIELDS,
  type Identity,
  MAX_PROPERTIES_BYTES,
  PROFILE_PATH,
  type UserProperties,
} from "../api/dfinery.js";
import { EVENTS_PATH } from "../api/events.js";
import { ExactNumber } from "../api/exact-number.js";
import { conformsTo, isRealDatetime, propertiesByteLength } from "../api/value-types.js";
import type { PropertyRules } from "./catalog.js";

export type Endpoint = typeof PROFILE_PATH | typeof IDENTITIES_PATH;
/** Every path the emulator answers: the profile-shaped endpoints and the events endpoint. */
export const ENDPOINTS: ReadonlySet<string> = new Set([PROFILE_PATH, IDENTITIES_PATH, EVENTS_PATH]);

/** A body that passed every rule. The identities endpoint carries no `user_properties`. */
export interface AcceptedBody {
  readonly identity: Identity;
  readonly user_properties?: UserProperties;
  readonly request_datetime: string;
}

export type BodyCheck =
  | { readonly ok: true; readonly body: AcceptedBody }
  | { readonly ok: false; readonly problem: string };

const FIELDS: Readonly<Record<Endpoint, readonly string[]>> = {
  [PROFILE_PATH]: ["identity", "user_properties", "request_datetime"],
  [IDENTITIES_PATH]: ["identity", "request_datetime"],
};
const IDENTITY_NAMES: ReadonlySet<string> = new Set(IDENTITY_FIELDS);
const GENDERS: ReadonlySet<unknown> = new Set(GENDER_VALUES);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function checkBody(
  endpoint: Endpoint,
  body: Record<string, unknown>,
  rules: PropertyRules,
): BodyCheck {
  const problem = bodyProblem(endpoint, body, rules);
  return problem === undefined
    ? { ok: true, body: body as unknown as AcceptedBody }
    : { ok: false, problem };
}

function bodyProblem(
  endpoint: Endpoint,
  body: Record<string, unknown>,
  rules: PropertyRules,
): string | undefined {
  const fields = FIELDS[endpoint];
  for (const key of Object.keys(body)) {
    if (!fields.includes(key))
      return `unknown field ${key}; ${endpoint} takes ${fields.join(", ")}`;
  }
  for (const key of fields) {
    if (body[key] === undefined) return `${key} is required`;
  }
  return (
    identityProblem(body.identity) ??
    (endpoint === PROFILE_PATH ? propertiesProblem(body.user_properties, rules) : undefined) ??
    datetimeProblem(body.request_datetime)
  );
}

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

function datetimeProblem(value: unknown): string | undefined {
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
