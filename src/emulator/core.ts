/**
 * The emulator's decision for one request, with no I/O: the clock and random source come from the
 * options, and the answer goes back to the server to write. In order:
 *
 *  1. fault draw: a "reset" fault destroys the connection before anything is counted;
 *  2. routing: an unknown path → 404, a method other than POST → 405 (neither is rate-counted);
 *  3. gateway: a request carrying the valid token is counted against the token's window, whatever
 *     its body: the profile endpoint's (`limit`), the events endpoint's (`eventLimit`) or the
 *     identities API's (`identityLimit`, one window for `/api/v1/identities` and
 *     `/api/v1/identities/delete`); over the limit → 429 (or 200 + 40401). A request without the
 *     valid token is not counted; its headers show the window untouched;
 *  4. a "server error" fault → 500 (or 200 + 50000); the request is not applied;
 *  5. the backend's rules (validate.ts): 400, 40201, 40101, 40001, else the request is applied to
 *     the store: kept, linked (identities) or erased (delete). An identity naming two unified
 *     profiles is refused there with 40001 and changes nothing (profiles.ts); else 20000.
 * Every answer is counted in the store's stats.
 */

import { RESULT_CODES } from "../api/dfinery.js";
import { EVENTS_PATH } from "../api/events.js";
import { IDENTITIES_DELETE_PATH, IDENTITIES_PATH } from "../api/identities.js";
import {
  ANSWERS,
  type Answer,
  RESET_STATS_KEY,
  tooManyEvents,
  validationFailure,
} from "./answers.js";
import { ENDPOINTS, type Endpoint } from "./body-rules.js";
import { eventCatalog, propertyRules } from "./catalog.js";
import { eventRules } from "./event-catalog.js";
import { drawDelay, drawFault } from "./faults.js";
import type { EmulatorOptions, RateLimit } from "./options.js";
import { type RateDecision, RateWindow } from "./rate-window.js";
import type { RequestStore } from "./store.js";
import { type Expectations, judgeRequest, type Verdict } from "./validate.js";

export interface IncomingRequest {
  readonly method: string | undefined;
  /** Path and query, as in the request line. */
  readonly url: string | undefined;
  readonly contentType: string | undefined;
  readonly token: string | undefined;
  /** The body as text; undefined when it was over the size cap. */
  readonly body: string | undefined;
}

export type Outcome =
  | { readonly kind: "reset" }
  | {
      readonly kind: "answer";
      readonly answer: Answer;
      /** The window the answer reports in its headers; undefined without a limit. */
      readonly rate: RateDecision | undefined;
      readonly delayMs: number;
    };

const RESET: Outcome = { kind: "reset" };

export class EmulatorCore {
  readonly #options: EmulatorOptions;
  readonly #store: RequestStore;
  /** The window of each path with one of its own; other paths count against `limit`'s. */
  readonly #windows: ReadonlyMap<string, RateWindow | undefined>;
  readonly #window: RateWindow | undefined;
  readonly #expected: Expectations;

  constructor(options: EmulatorOptions, store: RequestStore) {
    this.#options = options;
    this.#store = store;
    this.#window = windowOf(options.limit);
    const identities = windowOf(options.identityLimit);
    this.#windows = new Map([
      [EVENTS_PATH, windowOf(options.eventLimit)],
      [IDENTITIES_PATH, identities],
      [IDENTITIES_DELETE_PATH, identities],
    ]);
    this.#expected = {
      token: options.token,
      serviceId: options.serviceId,
      rules: propertyRules(options.catalog),
      events: eventRules(eventCatalog(options.catalog)),
    };
  }

  decide(request: IncomingRequest): Outcome {
    const options = this.#options;
    const now = options.now();
    const fault = drawFault(options, options.random);
    if (fault === "reset") {
      this.#store.countAnswer(RESET_STATS_KEY);
      return RESET;
    }
    const url = request.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const routed = ENDPOINTS.has(path) && request.method === "POST";
    const window = this.#windows.has(path) ? this.#windows.get(path) : this.#window;
    const rate = this.#rate(window, request.token, routed, now);

    let answer: Answer;
    if (!ENDPOINTS.has(path)) answer = ANSWERS.notFound;
    else if (request.method !== "POST") answer = ANSWERS.methodNotAllowed;
    else if (rate !== undefined && !rate.allowed) answer = this.#overLimit();
    else if (fault === "http500") answer = ANSWERS.serverErrorHttp500;
    else if (fault === "code50000") answer = ANSWERS.serverErrorCode50000;
    else if (request.body === undefined) answer = ANSWERS.payloadTooLarge;
    else {
      const endpoint = path as Endpoint | typeof EVENTS_PATH;
      const serviceId =
        queryAt === -1 ? null : new URLSearchParams(url.slice(queryAt + 1)).get("service_id");
      const { contentType, token, body } = request;
      const verdict = judgeRequest(
        { endpoint, serviceId, contentType, token, body },
        this.#expected,
      );
      answer = answerFor(verdict);
      if (verdict.kind === "accepted") {
        const stored = { ...verdict.body, endpoint: endpoint as Endpoint, receivedAt: now };
        const problem = this.#store.apply(stored);
        if (problem !== undefined) answer = validationFailure(problem);
      } else if (verdict.kind === "accepted-events") {
        this.#store.recordEvents(EVENTS_PATH, verdict.body, now);
      }
    }
    this.#store.countAnswer(answer.statsKey);
    return { kind: "answer", answer, rate, delayMs: drawDelay(options, options.random) };
  }

  #rate(
    window: RateWindow | undefined,
    token: string | undefined,
    routed: boolean,
    now: number,
  ): RateDecision | undefined {
    if (window === undefined) return undefined;
    if (routed && token === this.#options.token) return window.take(token, now);
    return window.peek(token ?? "", now);
  }

  #overLimit(): Answer {
    return this.#options.overLimit === "http429"
      ? ANSWERS.tooManyHttp429
      : ANSWERS.tooManyCode40401;
  }
}

function windowOf(limit: RateLimit | null): RateWindow | undefined {
  return limit === null ? undefined : new RateWindow(limit);
}

function answerFor(verdict: Verdict): Answer {
  switch (verdict.kind) {
    case "accepted":
    case "accepted-events":
      return ANSWERS.ok;
    case "bad-request":
      return ANSWERS.badRequest;
    case "refused":
      if (verdict.code === RESULT_CODES.INVALID_TOKEN) return ANSWERS.invalidToken;
      if (verdict.code === RESULT_CODES.INVALID_SERVICE_ID) return ANSWERS.invalidServiceId;
      if (verdict.code === RESULT_CODES.TOO_MANY_EVENTS) {
        return tooManyEvents(verdict.problem ?? "too many events");
      }
      return validationFailure(verdict.problem ?? "invalid request");
  }
}
