/**
 * The rules a parsed request body must follow: the profile endpoint's here, the identities
 * endpoints' in api/identities.ts. Each check returns the first problem it finds, in words fit for
 * a 40001 VALIDATION_FAILURE message, or undefined.
 */

import { PROFILE_PATH, type UserProperties } from "../api/dfinery.js";
import { EVENTS_PATH } from "../api/events.js";
import {
  checkIdentityRequest,
  IDENTITIES_DELETE_PATH,
  IDENTITIES_PATH,
  type IdentitiesPath,
  type IdentityRequestBody,
} from "../api/identities.js";
import {
  bodyFieldsProblem,
  identityProblem,
  type PropertyRules,
  propertiesProblem,
  requestDatetimeProblem,
} from "../api/profile-rules.js";

/** The profile-shaped endpoints: a body of `identity`, maybe `user_properties`, `request_datetime`. */
export type Endpoint = typeof PROFILE_PATH | IdentitiesPath;
/** Every path the emulator answers: the profile-shaped endpoints and the events endpoint. */
export const ENDPOINTS: ReadonlySet<string> = new Set([
  PROFILE_PATH,
  IDENTITIES_PATH,
  IDENTITIES_DELETE_PATH,
  EVENTS_PATH,
]);

/** A body that passed every rule. The identities endpoints carry no `user_properties`. */
export interface AcceptedBody extends IdentityRequestBody {
  readonly user_properties?: UserProperties;
}

export type BodyCheck =
  | { readonly ok: true; readonly body: AcceptedBody }
  | { readonly ok: false; readonly problem: string };

const PROFILE_FIELDS = ["identity", "user_properties", "request_datetime"] as const;

export function checkBody(
  endpoint: Endpoint,
  body: Record<string, unknown>,
  rules: PropertyRules,
): BodyCheck {
  if (endpoint !== PROFILE_PATH) return checkIdentityRequest(endpoint, body);
  const problem =
    bodyFieldsProblem(body, PROFILE_FIELDS, endpoint) ??
    identityProblem(body.identity) ??
    propertiesProblem(body.user_properties, rules) ??
    requestDatetimeProblem(body.request_datetime);
  return problem === undefined
    ? { ok: true, body: body as unknown as AcceptedBody }
    : { ok: false, problem };
}
