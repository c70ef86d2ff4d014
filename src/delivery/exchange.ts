/**
 * One request and its answer, read whole, on undici's documented `dispatch` handler (the API its
 * `request` is built on): the answer's chunks are gathered here instead of through a Readable
 * body, and the deadline aborts through the request's own controller instead of an
 * AbortController (an AbortSignal and its listeners per request cost about a tenth of the
 * importer's CPU per profile; see bench/README.md).
 *  - `deadlineMs`: from the send to the last byte of the answer, whatever the inactivity timeouts
 *    let through (a server trickling a byte at a time);
 *  - `cap`: an answer declaring or turning out larger is dropped with its connection, so a faulty
 *    server cannot fill memory with the answers in flight.
 */
import type { Dispatcher } from "undici";

/** The API answers with ~100 bytes of JSON; an answer this large is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export type Headers = Record<string, string | string[] | undefined>;

/** What one request came to. */
export type Answer =
  | {
      readonly kind: "answer";
      readonly status: number;
      readonly headers: Headers;
      /** The body as UTF-8 text; `tooLarge` when it was over the cap (and not read). */
      readonly text: string;
      readonly tooLarge: boolean;
    }
  | { readonly kind: "error"; readonly error: unknown; readonly timedOut: boolean };

const DEADLINE = new Error("the request's deadline passed");

export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  deadlineMs: number,
  cap: number,
): Promise<Answer> {
  return new Promise((resolve) => {
    dispatcher.dispatch(options, new Exchange(resolve, deadlineMs, cap));
  });
}

class Exchange implements Dispatcher.DispatchHandler {
  readonly #resolve: (answer: Answer) => void;
  readonly #cap: number;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #timedOut = false;
  #settled = false;
  #status = 0;
  #headers: Headers = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(resolve: (answer: Answer) => void, deadlineMs: number, cap: number) {
    this.#resolve = resolve;
    this.#cap = cap;
    this.#timer = setTimeout(() => this.#expire(), deadlineMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#timedOut) controller.abort(DEADLINE); // the deadline passed while it was queued
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Headers,
  ): void {
    this.#status = status;
    this.#headers = headers;
    this.#chunks = [];
    this.#size = 0;
    const length = headers["content-length"];
    if (Number(Array.isArray(length) ? length[0] : length) > this.#cap) this.#tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.#cap) this.#tooLarge(controller);
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const text =
      chunks.length === 1
        ? (chunks[0] as Buffer).toString("utf8")
        : Buffer.concat(chunks).toString("utf8");
    this.#settle({
      kind: "answer",
      status: this.#status,
      headers: this.#headers,
      text,
      tooLarge: false,
    });
  }

  onResponseError(_controller: unknown, error: Error): void {
    this.#settle({ kind: "error", error, timedOut: this.#timedOut });
  }

  #tooLarge(controller: Dispatcher.DispatchController): void {
    const answer = { status: this.#status, headers: this.#headers, text: "", tooLarge: true };
    this.#settle({ kind: "answer", ...answer });
    controller.abort(new Error("the answer is over the cap")); // its connection goes with it
  }

  #expire(): void {
    this.#timedOut = true;
    this.#controller?.abort(DEADLINE);
  }

  #settle(answer: Answer): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    clearTimeout(this.#timer);
    this.#resolve(answer);
  }
}
