/**
 * What the emulator saw: every accepted request (when `remember` is on) and a count of every answer.
 * In memory only; a sink (the NDJSON log) may get each accepted request as well.
 */

import type { IdentityField, UserProperties } from "../api/dfinery.js";
import type { EVENTS_PATH, EventRecord, EventsRequestBody } from "../api/events.js";
import type { AcceptedBody, Endpoint } from "./body-rules.js";

export interface StoredRequest extends AcceptedBody {
  readonly endpoint: Endpoint;
  /** When the emulator received it, epoch milliseconds (the emulator's clock). */
  readonly receivedAt: number;
}

/** One accepted event, with the identity of its request. */
export interface StoredEvent {
  readonly endpoint: typeof EVENTS_PATH;
  readonly identity: EventsRequestBody["common"]["identity"];
  readonly event: EventRecord;
  readonly receivedAt: number;
}

/**
 * `requests` counts every request, `accepted` those answered 20000. `byCode` counts answers by
 * stats key: the body's code for HTTP 200 ("20000", "40001", "40401"), `HTTP_<status>` for any
 * other status ("HTTP_400", "HTTP_429", "HTTP_500", "HTTP_404"), and `RESET` for connections
 * destroyed without an answer.
 */
export interface EmulatorStats {
  readonly requests: number;
  readonly accepted: number;
  readonly byCode: Readonly<Record<string, number>>;
}

export interface RequestSink {
  write(request: StoredRequest | StoredEvent): void;
}

export interface StoreOptions {
  readonly remember: boolean;
  readonly sink?: RequestSink | undefined;
}

export class RequestStore {
  readonly #remember: boolean;
  readonly #sink: RequestSink | undefined;
  #requests: StoredRequest[] = [];
  #accepted = 0;
  #answers = new Map<string, number>();
  #events: StoredEvent[] = [];
  #eventCount = 0;
  #eventIds = new Set<string>();
  #duplicates = 0;

  constructor(options: StoreOptions = { remember: true }) {
    this.#remember = options.remember;
    this.#sink = options.sink;
  }

  /** Records an accepted request. */
  record(request: StoredRequest): void {
    this.#accepted += 1;
    if (this.#remember) this.#requests.push(request);
    this.#sink?.write(request);
  }

  /**
   * Records every event of an accepted events request, one by one. With `remember`, an
   * `event_log_id` seen before is stored again and counted as a duplicate.
   */
  recordEvents(endpoint: typeof EVENTS_PATH, body: EventsRequestBody, receivedAt: number): void {
    this.#accepted += 1;
    const identity = body.common.identity;
    for (const event of body.events) {
      const stored: StoredEvent = { endpoint, identity, event, receivedAt };
      this.#eventCount += 1;
      if (this.#remember) {
        if (this.#eventIds.has(event.event_log_id)) this.#duplicates += 1;
        else this.#eventIds.add(event.event_log_id);
        this.#events.push(stored);
      }
      this.#sink?.write(stored);
    }
  }

  /** The accepted events in arrival order (empty when `remember` is off). */
  events(): readonly StoredEvent[] {
    return this.#events;
  }

  /** How many events were accepted (repeats included). */
  eventCount(): number {
    return this.#eventCount;
  }

  /** How many accepted events repeated an earlier `event_log_id` (0 when `remember` is off). */
  duplicateEvents(): number {
    return this.#duplicates;
  }

  /** Counts one answer under its stats key. */
  countAnswer(statsKey: string): void {
    this.#answers.set(statsKey, (this.#answers.get(statsKey) ?? 0) + 1);
  }

  /** How many requests were accepted. */
  count(): number {
    return this.#accepted;
  }

  /** The accepted requests in arrival order (empty when `remember` is off). */
  list(): readonly StoredRequest[] {
    return this.#requests;
  }

  /**
   * The properties of the profile whose identity has `field` = `value`, merged over every accepted
   * profile request in order (later requests overwrite keys); undefined when none matched.
   */
  last(field: IdentityField, value: string): UserProperties | undefined {
    let merged: UserProperties | undefined;
    for (const request of this.#requests) {
      if (request.identity[field] !== value) continue;
      merged = { ...merged, ...request.user_properties };
    }
    return merged;
  }

  stats(): EmulatorStats {
    let requests = 0;
    for (const n of this.#answers.values()) requests += n;
    return { requests, accepted: this.#accepted, byCode: Object.fromEntries(this.#answers) };
  }

  /** Forgets everything, e.g. between tests sharing one emulator. */
  clear(): void {
    this.#requests = [];
    this.#accepted = 0;
    this.#answers = new Map();
    this.#events = [];
    this.#eventCount = 0;
    this.#eventIds = new Set();
    this.#duplicates = 0;
  }
}
