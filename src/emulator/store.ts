/**
 * What the emulator saw: every accepted request (when `remember` is on), the unified profiles the
 * identities endpoint linked (always: answers depend on them, see profiles.ts) and a count of every
 * answer. A delete erases the person's profile and identities requests and events from what is
 * remembered; the delete request itself is kept, as the record that it happened. In memory only; a
 * sink (the NDJSON log, append-only) may get each accepted request as well.
 */

import {
  type Identity,
  type IdentityField,
  PROFILE_PATH,
  type UserProperties,
} from "../api/dfinery.js";
import type { EVENTS_PATH, EventRecord, EventsRequestBody } from "../api/events.js";
import { IDENTITIES_DELETE_PATH, IDENTITIES_PATH } from "../api/identities.js";
import type { AcceptedBody, Endpoint } from "./body-rules.js";
import { type Identifiers, ProfileRegistry, sharesIdentifier } from "./profiles.js";

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
  readonly #profiles = new ProfileRegistry();

  constructor(options: StoreOptions = { remember: true }) {
    this.#remember = options.remember;
    this.#sink = options.sink;
  }

  /**
   * Applies a request that passed the body rules: a profile request is kept, an identities request
   * links its identifiers, a delete erases its person. Returns the problem (the identity names two
   * profiles) when refused; then nothing changed and nothing was counted.
   */
  apply(request: StoredRequest): string | undefined {
    if (request.endpoint === IDENTITIES_PATH) {
      const problem = this.#profiles.link(request.identity);
      if (problem !== undefined) return problem;
    } else if (request.endpoint === IDENTITIES_DELETE_PATH) {
      const removal = this.#profiles.remove(request.identity);
      if ("problem" in removal) return removal.problem;
      this.#erase(removal.person);
    }
    this.#accepted += 1;
    if (this.#remember) this.#requests.push(request);
    this.#sink?.write(request);
    return undefined;
  }

  /** Forgets the profile and identities requests and the events of a deleted person. */
  #erase(person: Identifiers): void {
    if (!this.#remember || person.length === 0) return;
    this.#requests = this.#requests.filter(
      (r) => r.endpoint === IDENTITIES_DELETE_PATH || !sharesIdentifier(r.identity, person),
    );
    const kept = this.#events.filter((e) => !sharesIdentifier(e.identity, person));
    if (kept.length === this.#events.length) return;
    this.#events = kept;
    this.#eventIds = new Set(kept.map((e) => e.event.event_log_id));
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

  /** The accepted events still held (a delete erases its person's), in arrival order; empty when `remember` is off. */
  events(): readonly StoredEvent[] {
    return this.#events;
  }

  /** How many events were accepted (repeats included, deleted ones too). */
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

  /** How many requests were accepted (deleted ones too). */
  count(): number {
    return this.#accepted;
  }

  /**
   * The accepted profile, identities and delete requests still held (a delete erases its person's
   * profile and identities requests), in arrival order; empty when `remember` is off.
   */
  list(): readonly StoredRequest[] {
    return this.#requests;
  }

  /**
   * The properties of the person with `field` = `value` (every identifier linked with it by the
   * identities endpoint, or that one alone), merged over the accepted profile requests naming any
   * of them, in order (later requests overwrite keys); undefined when none matched.
   */
  last(field: IdentityField, value: string): UserProperties | undefined {
    const linked = this.#profiles.profileOf(field, value) ?? { [field]: value };
    const person = Object.entries(linked) as [IdentityField, string][];
    let merged: UserProperties | undefined;
    for (const request of this.#requests) {
      if (request.endpoint !== PROFILE_PATH || !sharesIdentifier(request.identity, person))
        continue;
      merged = { ...merged, ...request.user_properties };
    }
    return merged;
  }

  /** The unified profiles, each as the identifiers it links, in the order they were created. */
  profiles(): readonly Identity[] {
    return this.#profiles.list();
  }

  /** The identifiers linked with `field` = `value`; undefined when no unified profile holds it. */
  profileOf(field: IdentityField, value: string): Identity | undefined {
    return this.#profiles.profileOf(field, value);
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
    this.#profiles.clear();
  }
}
