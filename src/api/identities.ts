/**
 * The unified-profile endpoints: `POST /api/v1/identities` (create or update the unified profile:
 * the identifiers of one person, linked) and `POST /api/v1/identities/delete` (remove the person:
 * profile and events, e.g. a member who left). Both take `{identity, request_datetime}` and answer
 * as the profile endpoint does (../shared/dfinery-api.md, "Related endpoint", "Request limit").
 * Both the importer and the emulator follow these; nothing here does I/O.
 *
 * Undocumented points, and what we chose:
 *  - Identifiers. The same five fields as the profile endpoint, strings, at least one non-empty
 *    (profile-rules.ts `identityProblem`); their format is not checked (the guide gives none; its
 *    examples show `phone_no` as international digits without `+`). An empty string names
 *    nothing: it links nothing and matches nothing.
 *  - One identifier. An identity with a single field is accepted: it creates the unified profile of
 *    that identifier (the guide's first step before properties and events), nothing to link yet.
 *  - Limit. 10,000 requests per minute per service, counted apart from the profile endpoint; the
 *    delete endpoint is part of the identities API and shares its window.
 *  - Two people. An identity whose identifiers are held by two different unified profiles
 *    (external_id on one, email on another) is refused 40001 VALIDATION_FAILURE and changes
 *    nothing, on either endpoint: nothing merges or erases two people on a guess.
 *  - Deleting someone unknown answers 20000 (idempotent): a re-sent or repeated delete succeeds.
 */

import { isPlainObject } from "../util/plain-object.js";
import { IDENTITIES_PATH, IDENTITY_FIELDS, type Identity, type IdentityField } from "./dfinery.js";
import { bodyFieldsProblem, identityProblem, requestDatetimeProblem } from "./profile-rules.js";

export { IDENTITIES_PATH };
export const IDENTITIES_DELETE_PATH = "/api/v1/identities/delete";
export type IdentitiesPath = typeof IDENTITIES_PATH | typeof IDENTITIES_DELETE_PATH;

/** The default limit of the identities API (both endpoints, one window): requests per minute. */
export const IDENTITY_REQUESTS_PER_MINUTE = 10_000;

/** What one request to either identities endpoint carries. */
export interface IdentityRequestBody {
  readonly identity: Identity;
  readonly request_datetime: string;
}

export const IDENTITY_BODY_FIELDS = ["identity", "request_datetime"] as const;

export type IdentityRequestCheck =
  | { readonly ok: true; readonly body: IdentityRequestBody }
  | { readonly ok: false; readonly problem: string };

/**
 * The first problem of a body for `path` (either identities endpoint), in words fit for a 40001
 * VALIDATION_FAILURE message; undefined when it follows every rule.
 */
export function identityRequestProblem(path: IdentitiesPath, body: unknown): string | undefined {
  if (!isPlainObject(body)) return "the body must be an object";
  return (
    bodyFieldsProblem(body, IDENTITY_BODY_FIELDS, path) ??
    identityProblem(body.identity) ??
    requestDatetimeProblem(body.request_datetime)
  );
}

export function checkIdentityRequest(path: IdentitiesPath, body: unknown): IdentityRequestCheck {
  const problem = identityRequestProblem(path, body);
  return problem === undefined
    ? { ok: true, body: body as IdentityRequestBody }
    : { ok: false, problem };
}

/** The identifiers an identity names, in IDENTITY_FIELDS order; empty strings name nothing. */
export function identifiersOf(identity: Identity): [IdentityField, string][] {
  const named: [IdentityField, string][] = [];
  for (const field of IDENTITY_FIELDS) {
    const value = identity[field];
    if (value !== undefined && value !== "") named.push([field, value]);
  }
  return named;
}
