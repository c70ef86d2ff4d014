import {
  DATE_PATTERN,
  DATETIME_PATTERN,
  type ProfileUpdate,
  type PropertyType,
  type PropertyValue,
  RESULT_CODES,
} from "../api/dfinery.js";
import { Breaker, type BreakerOptions, type BreakerTrip } from "../delivery/breaker.js";
import type { AttemptResult } from "../delivery/classify.js";
import { type Diagnosis, findRefusedProperty, type RefusedRow } from "../delivery/diagnose.js";
import type { RowFailure } from "../errors.js";
import type { Mapping } from "../mapping/types.js";
import type { ProbeLog } from "./config.js";
import type { RunLedger } from "./ledger.js";

/** What the breaker counts: the rows of import-profiles, or the events of import-events. */
export type Counted = "rows" | "events";

/** The diagnosis's way to the API: one request, unpaced (the run has stopped), and its log. */
export interface Probe {
  readonly send: (update: ProfileUpdate) => Promise<AttemptResult>;
  readonly log: ProbeLog;
}

/**
 * Watches the API's answers to rows (or events): feeds the circuit breaker, remembers the most
 * frequent refusal, and, once the breaker trips, words the stop (for a profile's 40001, finding the
 * refused property). Events get no such probe: an accepted probe stores an event, under the id the
 * whole event would have, so the API's own message is quoted instead.
 */
export class FailureWatch {
  readonly #breaker: Breaker;
  readonly #mapping: Mapping | null;
  /** Refusals per code, with the API's last message: for the canary's message. */
  readonly #refusals = new Map<string, { count: number; message: string }>();
  readonly #counted: Counted;
  /** Whether the API has accepted anything in this run: "accepted none" is said only if not. */
  #acceptedAny = false;
  /** The refusal that tripped the breaker, and the profile update refused (for the diagnosis). */
  #trip:
    | { readonly trip: BreakerTrip; readonly row: RefusedRow | Omit<RefusedRow, "update"> }
    | undefined;

  constructor(mapping: Mapping | null, options?: BreakerOptions, counted: Counted = "rows") {
    this.#breaker = new Breaker(options);
    this.#mapping = mapping;
    this.#counted = counted;
  }

  /** `count` rows (or events) the API accepted. */
  accepted(count = 1): void {
    if (count === 0) return;
    this.#acceptedAny = true;
    this.#breaker.accepted(count);
  }

  /**
   * A row (or event) the API refused for good; the trip, the first time the breaker trips.
   * `update`: the profile update refused, for the diagnosis; `batch`: the request an event was
   * first sent in (its batch's refused events are one step of the streak).
   */
  refused(failure: RowFailure, update?: ProfileUpdate, batch?: number): BreakerTrip | undefined {
    const { code, message } = failure;
    const seen = this.#refusals.get(code);
    this.#refusals.set(code, { count: (seen?.count ?? 0) + 1, message });
    const trip = this.#breaker.refused(code, batch);
    if (trip === undefined || this.#trip !== undefined) return undefined;
    this.#trip = {
      trip,
      row: update === undefined ? { code, message } : { update, code, message },
    };
    return trip;
  }

  /** The most frequent refusal so far: `40001 ×100, "VALIDATION_FAILURE: …"`; "" when none. */
  commonRefusal(): string {
    let best: [string, { count: number; message: string }] | undefined;
    for (const entry of this.#refusals)
      if (best === undefined || entry[1].count > best[1].count) best = entry;
    return best === undefined
      ? ""
      : `${best[0]} ×${best[1].count}, ${JSON.stringify(best[1].message)}`;
  }

  /** Why the breaker stopped the run, before any diagnosis. */
  tripMessage(trip: BreakerTrip): string {
    const unit = this.#counted;
    const one = unit === "rows" ? "row" : "event";
    const steps = trip.steps ?? trip.failures;
    // Counted in batches of events when a batch gave several of the refusals.
    const inARow =
      steps === trip.failures
        ? `${trip.failures} ${unit} in a row`
        : `${trip.failures} ${unit} of ${steps} requests in a row`;
    const none = this.#acceptedAny ? "with none accepted in between" : "and accepted none";
    const what =
      trip.rule === "same-code"
        ? `the API refused ${inARow} with ${trip.code} ${none}`
        : `the API refused ${trip.failures} of the last ${trip.answers} ${unit} (last: ${trip.code})`;
    return `${what}: stopped (circuit breaker) rather than send every ${one} to be refused`;
  }

  /**
   * The full stop message, once the run has drained: for a profile's 40001, the property the API
   * refuses, found by re-sending halves of one refused row through `probe`.
   */
  async stopMessage(
    probe?: Probe,
  ): Promise<{ readonly message: string; readonly property?: string } | undefined> {
    if (this.#trip === undefined) return undefined;
    const { trip, row } = this.#trip;
    const advice =
      "; fix the mapping or the console, then run again (with --state, --resume continues; " +
      "--max-error-rate 1 turns the breaker off)";
    if (!("update" in row) || probe === undefined || row.code !== RESULT_CODES.VALIDATION_FAILURE) {
      return {
        message: `${this.tripMessage(trip)}; the API's message: ${JSON.stringify(row.message)}${advice}`,
      };
    }
    const diagnosis = await findRefusedProperty(row, async (update) => {
      const result = await probe.send(update);
      probe.log(Object.keys(update.user_properties), codeOf(result));
      return result;
    });
    const message = `${this.tripMessage(trip)}; ${this.#explain(diagnosis, row)}${advice}`;
    return diagnosis.kind === "property" ? { message, property: diagnosis.property } : { message };
  }

  /** Once a run the breaker stopped has drained: words its stop (a failing probe stops it for that). */
  async explain(ledger: RunLedger, probe?: Probe): Promise<void> {
    if (ledger.stoppedBy?.reason !== "breaker") return;
    try {
      const stop = await this.stopMessage(probe);
      if (stop !== undefined) ledger.explainStop(stop);
    } catch (error) {
      ledger.stopFor(error);
    }
  }

  #explain(diagnosis: Diagnosis, row: RefusedRow): string {
    if (diagnosis.kind === "unexplained") {
      return `no single property explains it; the API's message: ${JSON.stringify(diagnosis.message)}`;
    }
    const name = diagnosis.property;
    const type = this.#typeOf(name, row.update.user_properties[name]);
    return (
      `the API refuses property "${name}" (is it registered in the console, as ${type}?); ` +
      `the API's message: ${JSON.stringify(diagnosis.message)}`
    );
  }

  /** The type the mapping gives the property, or (a replay) the one its value has. */
  #typeOf(name: string, value: PropertyValue | undefined): PropertyType {
    const rule = this.#mapping?.properties.find((p) => p.name === name);
    return rule?.type ?? typeOfValue(value);
  }
}

function codeOf(result: AttemptResult): string {
  return result.kind === "accepted" ? "20000" : result.code;
}

function typeOfValue(value: PropertyValue | undefined): PropertyType {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) return "Array of String";
    return value.every((v) => Number.isInteger(v)) ? "Array of Long" : "Array of Double";
  }
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "Long" : "Double";
  if (typeof value === "string" && DATETIME_PATTERN.test(value)) return "Datetime";
  if (typeof value === "string" && DATE_PATTERN.test(value)) return "Date";
  return "String";
}
