import type { Pool } from "undici";
import { PROFILE_PATH } from "../api/dfinery.js";
import { stringifyExactly } from "../util/exact-number.js";
import { BytesBody, jsonBytes } from "../util/json-bytes.js";
import { type AttemptResult, classify } from "./classify.js";
import { Deadlines } from "./deadlines.js";
import { type Answer, exchange, MAX_BODY_BYTES } from "./exchange.js";
import type { Clock } from "./pacer.js";
import { parseRateHeaders, parseRetryAfter } from "./rate-headers.js";

export interface ClientOptions {
  /** e.g. https://openapi.dfinery.ai or http://127.0.0.1:8787 */
  readonly endpoint: string;
  readonly serviceId: string;
  readonly accessToken: string;
  /** Connections kept open to the endpoint: the most requests in flight. */
  readonly connections: number;
  /** Inactivity timeouts, ms. */
  readonly connectTimeoutMs?: number;
  readonly responseTimeoutMs?: number;
  /**
   * The whole request, from sending to the last byte of the answer, ms (default 60 s): the
   * inactivity timeouts alone let a server trickling a byte at a time hold a request for ever.
   */
  readonly deadlineMs?: number;
  /** The most an answer's body may hold, bytes (default 64 KiB); a larger one is a failed attempt. */
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
  /** The requests' deadlines' timer (the system's by default). */
  readonly clock?: Clock;
  /** The endpoint's path: the profile endpoint by default, or the events endpoint. */
  readonly path?: string;
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** A network failure as an attempt result: transient, with a stable code and no secrets. */
function networkFailure(error: unknown): AttemptResult {
  const code = (error as { code?: unknown }).code;
  if (code === "UND_ERR_INVALID_ARG") {
    // The request itself cannot be made (e.g. a header value undici refuses): no retry can help.
    return {
      kind: "fatal",
      code: "INVALID_REQUEST",
      message: "the request could not be built (UND_ERR_INVALID_ARG)",
    };
  }
  const detail = typeof code === "string" ? code : error instanceof Error ? error.name : "error";
  const timeout = typeof code === "string" && TIMEOUT_CODES.has(code);
  return {
    kind: "transient",
    code: timeout ? "TIMEOUT" : "NETWORK",
    message: timeout ? `no answer in time (${detail})` : `network error (${detail})`,
    rate: {},
  };
}

/**
 * undici, loaded by the first request: a run that sends nothing (a dry run) does not hold its
 * ~5 MB of code and data, which the heap's growth multiplies in peak RSS.
 */
let undici: Promise<typeof import("undici")> | undefined;

/**
 * Sends one request body per call to the kind's path (a profile update, a batch of events) and
 * says what came of it. Never throws for HTTP or network.
 */
export class ApiClient {
  #pool: Pool | undefined;
  readonly #poolOptions: Pool.Options;
  readonly #origin: string;
  readonly #path: string;
  /** The API path alone, for messages. */
  readonly #apiPath: string;
  readonly #headers: Record<string, string>;
  readonly #now: () => number;
  readonly #deadlineMs: number;
  readonly #deadlines: Deadlines;
  readonly #maxBody: number;

  constructor(options: ClientOptions) {
    const url = new URL(options.endpoint);
    const timeout = options.responseTimeoutMs ?? 30_000;
    this.#origin = url.origin;
    this.#poolOptions = {
      connections: options.connections,
      pipelining: 1,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    };
    const base = url.pathname.replace(/\/+$/, "");
    this.#apiPath = options.path ?? PROFILE_PATH;
    this.#path = `${base}${this.#apiPath}?service_id=${encodeURIComponent(options.serviceId)}`;
    this.#headers = { "content-type": "application/json", access_token: options.accessToken };
    this.#now = options.now ?? Date.now;
    this.#deadlineMs = options.deadlineMs ?? 60_000;
    this.#deadlines = new Deadlines(this.#deadlineMs, options.clock);
    this.#maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  /** A promise callback, not an async function: no frame kept a request while it is in flight. */
  send(body: object): Promise<AttemptResult> {
    const pool = this.#pool;
    if (pool === undefined) return this.#open().then(() => this.send(body));
    let text: string | Uint8Array | undefined;
    try {
      // An events body as bytes, unless it holds what only JSON.stringify writes (an ExactNumber)
      if (body instanceof BytesBody) text = jsonBytes(body);
      text ??= stringifyExactly(body); // a Long beyond 2^53 goes out with its digits
    } catch (error) {
      return Promise.reject(error);
    }
    const options = {
      method: "POST" as const,
      path: this.#path,
      headers: this.#headers,
      body: text,
    };
    return exchange(pool, options, this.#deadlines, this.#maxBody, this.#judge);
  }

  /** What an answer comes to. */
  readonly #judge = (answer: Answer): AttemptResult => {
    if (answer.kind === "error") {
      if (!answer.timedOut) return networkFailure(answer.error);
      return {
        kind: "transient",
        code: "TIMEOUT",
        message: `no whole answer within ${this.#deadlineMs / 1000} s`,
        rate: {},
      };
    }
    const { status, headers } = answer;
    if (answer.tooLarge) {
      return {
        kind: "transient",
        code: "BAD_RESPONSE",
        message: `HTTP ${status} with a body over ${this.#maxBody} bytes (not an API answer)`,
        rate: parseRateHeaders(headers),
      };
    }
    const retryAfter = headers["retry-after"];
    const retryAfterMs = parseRetryAfter(
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      this.#now(),
    );
    return classify({
      path: this.#apiPath,
      status,
      text: answer.text,
      rate: parseRateHeaders(headers),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  };

  async #open(): Promise<Pool> {
    undici ??= import("undici");
    const { Pool } = await undici;
    this.#pool ??= new Pool(this.#origin, this.#poolOptions);
    return this.#pool;
  }

  async close(): Promise<void> {
    await this.#pool?.close();
    this.#deadlines.close();
  }
}
