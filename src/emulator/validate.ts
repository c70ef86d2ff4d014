/**
 * Judges one request to a known endpoint, the way the API's backend does, in this order:
 *  1. a content type other than application/json, or a body that is not a JSON object → HTTP 400;
 *  2. a missing or wrong `access_token` header → 40201 INVALID_TOKEN;
 *  3. a missing or wrong `service_id` query parameter → 40101 INVALID_SERVICE_ID;
 *  4. a body breaking a rule of body-rules.ts (api/event-rules.ts for events) → 40001
 *     VALIDATION_FAILURE, or 40402 TOO_MANY_EVENTS for an events request over its size.
 * The rate limit is the gateway's business and is checked before this (see core.ts). Pure.
 */

import { RESULT_CODES } from "../api/dfinery.js";
import { checkEventsBody, type EventRules } from "../api/event-rules.js";
import { EVENTS_PATH, type EventsRequestBody } from "../api/events.js";
import type { PropertyRules } from "../api/profile-rules.js";
import { parseJson as parseJsonExactly } from "../util/exact-number.js";
import { isPlainObject } from "../util/plain-object.js";
import { type AcceptedBody, checkBody, type Endpoint } from "./body-rules.js";

export interface RequestFacts {
  readonly endpoint: Endpoint | typeof EVENTS_PATH;
  readonly contentType: string | undefined;
  readonly token: string | undefined;
  readonly serviceId: string | null;
  readonly body: string;
}

export interface Expectations {
  readonly token: string;
  readonly serviceId: string;
  readonly rules: PropertyRules;
  readonly events: EventRules;
}

export type Verdict =
  | { readonly kind: "accepted"; readonly body: AcceptedBody }
  | { readonly kind: "accepted-events"; readonly body: EventsRequestBody }
  | { readonly kind: "bad-request" }
  | {
      readonly kind: "refused";
      readonly code:
        | typeof RESULT_CODES.INVALID_TOKEN
        | typeof RESULT_CODES.INVALID_SERVICE_ID
        | typeof RESULT_CODES.VALIDATION_FAILURE
        | typeof RESULT_CODES.TOO_MANY_EVENTS;
      /** What is wrong, for VALIDATION_FAILURE. */
      readonly problem?: string;
    };

const BAD_REQUEST: Verdict = { kind: "bad-request" };
const INVALID_TOKEN: Verdict = { kind: "refused", code: RESULT_CODES.INVALID_TOKEN };
const INVALID_SERVICE_ID: Verdict = { kind: "refused", code: RESULT_CODES.INVALID_SERVICE_ID };

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(";", 1)[0]?.trim().toLowerCase();
  return type === "application/json";
}

export function judgeRequest(facts: RequestFacts, expected: Expectations): Verdict {
  if (!isJsonContentType(facts.contentType)) return BAD_REQUEST;
  const body = parseJson(facts.body);
  if (!isPlainObject(body)) return BAD_REQUEST;
  if (facts.token !== expected.token) return INVALID_TOKEN;
  if (facts.serviceId !== expected.serviceId) return INVALID_SERVICE_ID;
  if (facts.endpoint === EVENTS_PATH) {
    const check = checkEventsBody(body, expected.events);
    if (check.ok) return { kind: "accepted-events", body: check.body };
    const code = check.tooMany ? RESULT_CODES.TOO_MANY_EVENTS : RESULT_CODES.VALIDATION_FAILURE;
    return { kind: "refused", code, problem: check.problem };
  }
  const check = checkBody(facts.endpoint, body, expected.rules);
  if (check.ok) return { kind: "accepted", body: check.body };
  return { kind: "refused", code: RESULT_CODES.VALIDATION_FAILURE, problem: check.problem };
}

function parseJson(text: string): unknown {
  try {
    return parseJsonExactly(text); // a 64-bit Long is read exactly, as DFINERY reads it
  } catch {
    return undefined;
  }
}
