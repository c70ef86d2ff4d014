import { type ApiResponseBody, PROFILE_PATH, RESULT_CODES } from "../api/dfinery.js";
import type { RateInfo } from "./rate-headers.js";

/**
 * What one attempt came to. "Even if the HTTP response code is 200, the request may fail":
 * the body's `code` decides, the HTTP status only where there is no usable body.
 */
export type AttemptResult =
  | { readonly kind: "accepted"; readonly rate: RateInfo }
  | {
      readonly kind: "rate-limited";
      readonly code: string;
      readonly rate: RateInfo;
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: "transient";
      readonly code: string;
      readonly message: string;
      readonly rate: RateInfo;
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: "permanent";
      readonly code: string;
      readonly message: string;
      readonly rate: RateInfo;
    }
  | { readonly kind: "fatal"; readonly code: string; readonly message: string };

export interface HttpAnswer {
  /** The API path the request went to (for messages); the profile endpoint when not said. */
  readonly path?: string;
  readonly status: number;
  /** The body as text; undefined when it could not be read. */
  readonly text: string | undefined;
  readonly rate: RateInfo;
  readonly retryAfterMs?: number;
}

/**
 * The last answer's text and what it read as: a run's answers are nearly all the same few bytes
 * (`{"status":true,"code":"20000",…}`), each read once (JSON.parse ~0.35 µs an answer).
 */
let lastText: string | undefined;
let lastBody: ApiResponseBody | undefined;

function parseBody(text: string | undefined): ApiResponseBody | undefined {
  if (text === lastText) return lastBody;
  const body = readBody(text);
  lastText = text;
  lastBody = body;
  return body;
}

function readBody(text: string | undefined): ApiResponseBody | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null) return undefined;
    const { code, status, message } = body as Record<string, unknown>;
    if (typeof code !== "string" && typeof code !== "number") return undefined;
    return {
      status: status === true,
      code: String(code),
      message: typeof message === "string" ? message : "",
    };
  } catch {
    return undefined;
  }
}

const FATAL_MESSAGES: Readonly<Record<string, string>> = {
  [RESULT_CODES.INVALID_SERVICE_ID]:
    "the API refused the service id (40101 INVALID_SERVICE_ID): check --service-id / DFINERY_SERVICE_ID",
  [RESULT_CODES.INVALID_TOKEN]:
    "the API refused the access token (40201 INVALID_TOKEN): check DFINERY_ACCESS_TOKEN / --token-file",
};

export function classify(answer: HttpAnswer): AttemptResult {
  const { status, rate } = answer;
  const body = parseBody(answer.text);
  // The body's code when there is one, else the HTTP status.
  const code = body?.code ?? `HTTP_${status}`;
  const message = body?.message || `HTTP ${status}`;
  const wait = answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs };

  if (body?.code === RESULT_CODES.OK && status >= 200 && status < 300) {
    return { kind: "accepted", rate };
  }
  const fatal = body === undefined ? undefined : FATAL_MESSAGES[body.code];
  if (fatal !== undefined) return { kind: "fatal", code, message: fatal };
  if (body === undefined && (status === 404 || status === 405)) {
    return {
      kind: "fatal",
      code,
      message: `the endpoint answered HTTP ${status} to POST ${answer.path ?? PROFILE_PATH}: check --endpoint`,
    };
  }
  if (status >= 300 && status < 400) {
    // A redirect is not followed (a POST would come back a GET, or the token go elsewhere), and
    // every request would get it: the run stops at once rather than retry.
    return {
      kind: "fatal",
      code,
      message: `the endpoint answered HTTP ${status} (a redirect, not followed) to POST ${answer.path ?? PROFILE_PATH}: check --endpoint`,
    };
  }
  if (status === 401 || status === 403) {
    return {
      kind: "fatal",
      code,
      message: `the API refused the credentials (HTTP ${status}${body?.message ? `: ${body.message}` : ""})`,
    };
  }
  if (status === 429 || body?.code === RESULT_CODES.TOO_MANY_REQUEST) {
    return { kind: "rate-limited", code, rate, ...wait };
  }
  if (status >= 500 || body?.code === RESULT_CODES.INTERNAL_SERVER_ERROR) {
    return { kind: "transient", code, message, rate, ...wait };
  }
  if (body === undefined && status < 400) {
    // A 2xx without a readable body: we cannot know it was applied. Re-sending is safe (absolute values).
    return {
      kind: "transient",
      code: "BAD_RESPONSE",
      message: `HTTP ${status} with an unreadable body`,
      rate,
    };
  }
  return { kind: "permanent", code, message, rate };
}
