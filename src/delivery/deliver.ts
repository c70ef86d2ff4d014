import type { ProfileUpdate } from "../api/dfinery.js";
import { type RowFailure, rowFailure } from "../errors.js";
import type { AttemptResult } from "./classify.js";
import { type PacedJob, type Pacer, PRIORITY_NEW, PRIORITY_RETRY, type RateWait } from "./pacer.js";
import { profileRequestBody } from "./request-time.js";
import { decideRetry, type RetryPolicy } from "./retry-policy.js";

/** How one mapped row's delivery ended. */
export type DeliveryOutcome =
  | { readonly kind: "accepted"; readonly attempts: number }
  | {
      readonly kind: "failed";
      readonly failure: RowFailure;
      readonly attempts: number;
      /** True when the API refused the row for good (not: retries ran out). */
      readonly permanent: boolean;
    }
  /** Not sent, or not finished, because the run is stopping (fatal answer, interrupt). */
  | { readonly kind: "not-attempted"; readonly attempts: number };

/** Sends one request body (a profile update, or a batch of events) and classifies the answer. */
export interface Sender {
  send(body: object): Promise<AttemptResult>;
}

export interface DeliveryDeps {
  readonly sender: Sender;
  readonly pacer: Pacer;
  readonly policy: RetryPolicy;
  /** Aborted when the run stops: nothing new is sent, backoff waits end early. */
  readonly stop: AbortSignal;
  /** Called once per fatal answer (bad token, bad service id); the caller stops the run. */
  readonly onFatal: (code: string, message: string) => void;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Counters for the report. */
  readonly stats: { retries: number; rateLimited: number };
  /** Transient failures in a row across all rows, for the outage breaker. */
  readonly health?: { consecutiveFailures: number };
  /** A Retry-After longer than this stops the run (told through `onWait`, `tooLong` set). */
  readonly maxWaitMs?: number;
  /** Told of a retry's server-given wait (Retry-After); the caller stops the run when too long. */
  readonly onWait?: (wait: RateWait) => void;
}

/**
 * Transient failures in a row, with no answer of any other kind between them, after which the API
 * is taken to be down (or the endpoint wrong) and the run stops: better than dead-lettering every
 * row one by one after its retries. Random faults never come close (5% failures: 0.05^50).
 */
export const OUTAGE_THRESHOLD = 50;

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

const NOT_SENT = Symbol("not sent");
const NOT_SENT_YET = Promise.resolve(NOT_SENT);

/**
 * Sends one profile update until it is accepted, rejected for good, out of attempts, or the run
 * stops. Each attempt goes through the pacer and so spends quota; rate-limited answers pause the
 * pacer and are re-sent ahead of new rows without spending the row's attempt budget.
 */
export function deliver(update: ProfileUpdate, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const now = deps.now ?? Date.now;
  return deliverBody(() => profileRequestBody(update, now()), deps);
}

/**
 * Sends the body `body()` makes (at each attempt: a profile's request time is the attempt's) with
 * the same pacing, retries and outcomes as `deliver`.
 */
export function deliverBody(body: () => object, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  return new Promise((ended, failed) => deliverBodyThen({ body, ended, failed }, deps));
}

/** A body to deliver, and what is told how it went (the caller's own object: none made a request). */
export interface Delivery {
  /** The body, made at each attempt (a profile's request time is the attempt's). */
  body(): object;
  /** The outcome. Called inside the pacer's answer: must not throw. */
  ended(outcome: DeliveryOutcome): void;
  /** What a sender threw or rejected with (a bug), or a closed pacer. */
  failed(error: unknown): void;
}

/**
 * `deliverBody` told through `delivery`. The first attempt is the pacer's job itself, its answer
 * judged as it settles: no promise of its own a request; the rest a loop (most bodies are sent
 * once; bench/README.md, issue 20).
 */
export function deliverBodyThen(delivery: Delivery, deps: DeliveryDeps): void {
  deps.pacer.add(new Attempts(delivery, deps), PRIORITY_NEW);
}

/** Send again at once (a rate-limited answer: the pacer waits for the window). */
const AGAIN = Symbol("again");

/** One body's attempts: what each answer means, and the pacer's job that sends it. */
class Attempts implements PacedJob<AttemptResult | typeof NOT_SENT> {
  /** Attempts sent. */
  sent = 0;
  /** Attempts that spent the row's budget (transient failures). */
  #spent = 0;
  readonly #delivery: Delivery;
  readonly #deps: DeliveryDeps;

  constructor(delivery: Delivery, deps: DeliveryDeps) {
    this.#delivery = delivery;
    this.#deps = deps;
  }

  /** The first answer (the pacer's job settled): its outcome, or the attempts after it. */
  settled(result: AttemptResult | typeof NOT_SENT): void {
    const delivery = this.#delivery;
    let next: DeliveryOutcome | typeof AGAIN | number;
    try {
      next = this.judge(result);
    } catch (error) {
      delivery.failed(error);
      return;
    }
    if (typeof next === "object") delivery.ended(next);
    else
      this.#again(next).then(
        (outcome) => delivery.ended(outcome),
        (error: unknown) => delivery.failed(error),
      );
  }

  /** The first attempt's sender threw or rejected (a bug). */
  failed(error: unknown): void {
    this.#delivery.failed(error);
  }

  /** The attempts after the first, until one ends the delivery. */
  async #again(after: typeof AGAIN | number): Promise<DeliveryOutcome> {
    const deps = this.#deps;
    for (let next = after; ; ) {
      if (next !== AGAIN) {
        await (deps.sleep ?? abortableSleep)(next, deps.stop);
        if (deps.stop.aborted) return { kind: "not-attempted", attempts: this.sent };
      }
      const judged = this.judge(await deps.pacer.run(() => this.task(), PRIORITY_RETRY));
      if (typeof judged === "object") return judged;
      next = judged;
    }
  }

  /** Sends the body, unless the run stopped while the job waited (checked when released, not queued). */
  task(): Promise<AttemptResult | typeof NOT_SENT> {
    if (this.#deps.stop.aborted) return NOT_SENT_YET;
    this.sent++;
    try {
      return this.#deps.sender.send(this.#delivery.body());
    } catch (error) {
      return Promise.reject(error); // as an async task would: the pacer goes on
    }
  }

  /** The outcome an answer ends with, AGAIN, or how long to wait before the next attempt. */
  judge(result: AttemptResult | typeof NOT_SENT): DeliveryOutcome | typeof AGAIN | number {
    const deps = this.#deps;
    const sent = this.sent;
    if (result === NOT_SENT) return { kind: "not-attempted", attempts: sent };
    if (deps.health !== undefined) {
      if (result.kind !== "transient") deps.health.consecutiveFailures = 0;
      else if (++deps.health.consecutiveFailures >= OUTAGE_THRESHOLD) {
        deps.onFatal(
          "OUTAGE",
          `the API failed ${OUTAGE_THRESHOLD} requests in a row (last: ${result.code}, ${result.message}): ` +
            "stopped rather than dead-letter every row; check --endpoint and the API's status, then run again",
        );
        return { kind: "not-attempted", attempts: sent };
      }
    }
    switch (result.kind) {
      case "accepted":
        deps.pacer.observe(result.rate, false);
        return { kind: "accepted", attempts: sent };
      case "fatal":
        deps.onFatal(result.code, result.message);
        return { kind: "not-attempted", attempts: sent };
      case "permanent":
        deps.pacer.observe(result.rate, false);
        return {
          kind: "failed",
          failure: rowFailure("api", result.code, result.message),
          attempts: sent,
          permanent: true,
        };
      case "rate-limited":
        deps.stats.rateLimited++;
        deps.pacer.observe(result.rate, true, result.retryAfterMs);
        return AGAIN;
      case "transient":
        return this.#transient(result);
    }
  }

  #transient(result: AttemptResult & { readonly kind: "transient" }): DeliveryOutcome | number {
    const deps = this.#deps;
    const sent = this.sent;
    deps.pacer.observe(result.rate, false);
    const random = deps.random ?? Math.random;
    const decision = decideRetry(++this.#spent, deps.policy, random, result.retryAfterMs);
    if (!decision.retry) {
      return {
        kind: "failed",
        failure: rowFailure("api", result.code, `${result.message} (after ${sent} attempts)`),
        attempts: sent,
        permanent: false,
      };
    }
    if (result.retryAfterMs !== undefined) {
      const at = (deps.now ?? Date.now)();
      const tooLong = result.retryAfterMs > (deps.maxWaitMs ?? Number.POSITIVE_INFINITY);
      deps.onWait?.({
        sinceMs: at,
        untilMs: at + (tooLong ? result.retryAfterMs : decision.delayMs),
        reason: "retry-after",
        tooLong,
      });
      if (tooLong) return { kind: "not-attempted", attempts: sent };
    }
    deps.stats.retries++;
    return decision.delayMs;
  }
}
