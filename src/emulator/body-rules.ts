/**
 * The rules a parsed request body must follow. Each check returns the first problem it finds, in
 * words fit for a 40001 VALIDATION_FAILURE message, or undefined.
 */

import {
  IDENTITIES_PATH,
  type Identity,
  PROFILE_PATH,
  type UserProperties,
} from "../api/dfinery.js";
import { EVENTS_PATH } from "../api/events.js";
import { identityProblem, type PropertyRules, propertiesProblem } from "../api/profile-rules.js";
import { isRealDatetime } from "../api/value-types.js";

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

function datetimeProblem(value: unknown): string | undefined {
  if (typeof value === "string" && isRealDatetime(value)) return undefined;
  return "request_datetime must be an ISO-8601 UTC datetime like 2024-05-14T06:05:46.363Z";
}
