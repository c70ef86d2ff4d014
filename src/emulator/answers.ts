/**
 * The emulator's answers, serialised once. Every answer has a stats key: the body's `code` for
 * HTTP 200 answers ("20000", "40001", …), `HTTP_<status>` for any other status ("HTTP_429").
 *
 * HTTP-level errors carry the matching API code in their body (400 → 40000, 429 → 40401,
 * 500 → 50000) with the docs' HTTP message, so a client that reads only `code` still acts rightly.
 * 404 and 405 are not API answers and carry no code.
 */

import { RESULT_CODES } from "../api/dfinery.js";

export interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly statsKey: string;
}

function answer(status: number, body: Record<string, unknown>): Answer {
  const code = typeof body.code === "string" ? body.code : undefined;
  const statsKey = status === 200 && code !== undefined ? code : `HTTP_${status}`;
  return { status, body: Buffer.from(JSON.stringify(body)), statsKey };
}

const refusal = (status: number, code: string | undefined, message: string): Answer =>
  answer(
    status,
    code === undefined ? { status: false, message } : { status: false, code, message },
  );

export const ANSWERS = {
  ok: answer(200, { status: true, code: RESULT_CODES.OK, message: "OK", data: true }),
  badRequest: refusal(400, RESULT_CODES.BAD_REQUEST, "Bad Request"),
  payloadTooLarge: refusal(413, RESULT_CODES.BAD_REQUEST, "Payload Too Large"),
  invalidToken: refusal(200, RESULT_CODES.INVALID_TOKEN, "INVALID_TOKEN"),
  invalidServiceId: refusal(200, RESULT_CODES.INVALID_SERVICE_ID, "INVALID_SERVICE_ID"),
  tooManyHttp429: refusal(429, RESULT_CODES.TOO_MANY_REQUEST, "Too Many Requests"),
  tooManyCode40401: refusal(200, RESULT_CODES.TOO_MANY_REQUEST, "TOO_MANY_REQUEST"),
  serverErrorHttp500: refusal(500, RESULT_CODES.INTERNAL_SERVER_ERROR, "Server Error"),
  serverErrorCode50000: refusal(200, RESULT_CODES.INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR"),
  notFound: refusal(404, undefined, "Not Found"),
  methodNotAllowed: refusal(405, undefined, "Method Not Allowed"),
} as const satisfies Record<string, Answer>;

/** 40001 with what is wrong: `VALIDATION_FAILURE: property points must be of type Long`. */
export function validationFailure(problem: string): Answer {
  return refusal(200, RESULT_CODES.VALIDATION_FAILURE, `VALIDATION_FAILURE: ${problem}`);
}

/** 40402 with what is too many: `TOO_MANY_EVENTS: 101 events, over 100 per request`. */
export function tooManyEvents(problem: string): Answer {
  return refusal(200, RESULT_CODES.TOO_MANY_EVENTS, `TOO_MANY_EVENTS: ${problem}`);
}

/** The stats key of a request whose connection was destroyed without an answer. */
export const RESET_STATS_KEY = "RESET";
