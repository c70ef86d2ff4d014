/**
 * Judges one request to a known endpoint, the way the API's backend does, in this order:
 *  1. a content type other than application/json, or a body that is not a JSON object → HTTP 400;
 *  2. a missing or wrong `access_token` header → 40201 INVALID_TOKEN;
 *  3. a missing or wrong `service_id` query parameter → 40101 INVALID_SERVICE_ID;
 *  4. a body breaking a rule of body-rules.ts → 40001 VALIDATION_FAILURE.
 * The rate limit is the gateway's business and is checked before this (see core.ts). Pure.
 */

import { RESULT_CODES } from "../api/dfinery.js";
import { parseJson as parseJsonExactly } from "../api/exact-number.js";
import { type AcceptedBody, checkBody, type Endpoint, isPlainObject } from "./body-rules.js";
import type { PropertyRules } from "./catalog.js";

export interface RequestFacts {
  readonly endpoint: Endpoint;
  readonly contentType: string | undefined;
  readonly token: string | undefined;
  readonly serviceId: string | null;
  readonly body: string;
}

export interface Expectations {
  readonly token: string;
  readonly serviceId: string;
  readonly rules: PropertyRules;
}

export type Verdict =
  | { readonly kind: "accepted"; readonly body: AcceptedBody }
  | { readonly kind: "bad-request" }
  | {
      readonly kind: "refused";
      readonly code:
        | typeof RESULT_CODES.INVALID_TOKEN
        | typeof RESULT_CODES.INVALID_SERVICE_ID
        | typeof RESULT_CODES.VALIDATION_FAILURE;
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
