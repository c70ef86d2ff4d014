/**
 * One request and its answer, read whole, on undici's documented `dispatch` handler (the API its
 * `request` is built on): the answer's chunks are gathered here instead of through a Readable
 * body, and the deadline aborts through the request's own controller instead of an
 * AbortController (an AbortSignal and its listeners per request cost about a tenth of the
 * importer's CPU per profile; see bench/README.md). The answer is judged as it ends (`judge`),
 * and the promise settles with what it came to.
 *  - `deadlines`: from the send to the last byte of the answer, whatever the inactivity timeouts
 *    let through (a server trickling a byte at a time), on the client's one timer;
 *  - `cap`: an answer declaring or turning out larger is dropped with its connection, so a faulty
 *    server cannot fill memory with the answers in flight.
 */
import type { Dispatcher } from "undici";
import { Deadlined, type Deadlines } from "./deadlines.js";

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

export function exchange<T>(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  deadlines: Deadlines,
  cap: number,
  judge: (answer: Answer) => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new Exchange(resolve, reject, judge, deadlines, cap));
  });
}

class Exchange<T> extends Deadlined implements Dispatcher.DispatchHandler {
  readonly #resolve: (result: T) => void;
  readonly #reject: (error: unknown) => void;
  readonly #judge: (answer: Answer) => T;
  readonly #deadlines: Deadlines;
  readonly #cap: number;
  #controller: Dispatcher.DispatchController | undefined;
  #timedOut = false;
  #settled = false;
  #status = 0;
  #headers: Headers = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    resolve: (result: T) => void,
    reject: (error: unknown) => void,
    judge: (answer: Answer) => T,
    deadlines: Deadlines,
    cap: number,
  ) {
    super();
    this.#resolve = resolve;
    this.#reject = reject;
    this.#judge = judge;
    this.#deadlines = deadlines;
    this.#cap = cap;
    deadlines.add(this);
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

  expire(): void {
    this.#timedOut = true;
    this.#controller?.abort(DEADLINE);
  }

  #settle(answer: Answer): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#deadlines.remove(this);
    let result: T;
    try {
      result = this.#judge(answer);
    } catch (error) {
      this.#reject(error);
      return;
    }
    this.#resolve(result);
  }
}
