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

/** What the diagnosis tells, one line per request it sent. */
export type ProbeLog = (properties: readonly string[], answer: string) => void;

/**
 * Watches the API's answers to rows: feeds the circuit breaker, remembers the most frequent
 * refusal, and, once the breaker trips, words the stop (finding the refused property for a 40001).
 */
export class FailureWatch {
  readonly #breaker: Breaker;
  readonly #mapping: Mapping | null;
  /** Refusals per code, with the API's last message: for the canary's message. */
  readonly #refusals = new Map<string, { count: number; message: string }>();
  #trip: { readonly trip: BreakerTrip; readonly row: RefusedRow } | undefined;

  constructor(mapping: Mapping | null, options?: BreakerOptions) {
    this.#breaker = new Breaker(options);
    this.#mapping = mapping;
  }

  accepted(): void {
    this.#breaker.accepted();
  }

  /** A row the API refused for good; the trip, the first time the breaker trips. */
  refused(update: ProfileUpdate, failure: RowFailure): BreakerTrip | undefined {
    const { code, message } = failure;
    const seen = this.#refusals.get(code);
    this.#refusals.set(code, { count: (seen?.count ?? 0) + 1, message });
    const trip = this.#breaker.refused(code);
    if (trip === undefined || this.#trip !== undefined) return undefined;
    this.#trip = { trip, row: { update, code, message } };
    return trip;
  }

  /** The most frequent refusal so far: `40001 ×100, "VALIDATION_FAILURE: …"`; "" when none. */
  commonRefusal(): string {
    let best: [string, { count: number; message: string }] | undefined;
    for (const entry of this.#refusals)
      if (best === undefined || entry[1].count > best[1].count) best = entry;
    return best === undefined ? "" : `${best[0]} ×${best[1].count}, "${best[1].message}"`;
  }

  /** Why the breaker stopped the run, before any diagnosis. */
  static tripMessage(trip: BreakerTrip): string {
    const what =
      trip.rule === "same-code"
        ? `the API refused ${trip.failures} rows in a row with ${trip.code} and accepted none`
        : `the API refused ${trip.failures} of the last ${trip.answers} rows (last: ${trip.code})`;
    return `${what}: stopped (circuit breaker) rather than send every row to be refused`;
  }

  /**
   * The full stop message, once the run has drained: for a 40001, the property the API refuses,
   * found by re-sending halves of one refused row (`send`: one request, unpaced, the run stopped).
   */
  async stopMessage(
    send: (update: ProfileUpdate) => Promise<AttemptResult>,
    log: ProbeLog,
  ): Promise<{ readonly message: string; readonly property?: string } | undefined> {
    if (this.#trip === undefined) return undefined;
    const { trip, row } = this.#trip;
    const advice =
      "; fix the mapping or the console, then run again (with --state, --resume continues; " +
      "--max-error-rate 1 turns the breaker off)";
    if (row.code !== RESULT_CODES.VALIDATION_FAILURE) {
      return {
        message: `${FailureWatch.tripMessage(trip)}; the API's message: "${row.message}"${advice}`,
      };
    }
    const diagnosis = await findRefusedProperty(row, async (update) => {
      const result = await send(update);
      log(Object.keys(update.user_properties), codeOf(result));
      return result;
    });
    const message = `${FailureWatch.tripMessage(trip)}; ${this.#explain(diagnosis, row)}${advice}`;
    return diagnosis.kind === "property" ? { message, property: diagnosis.property } : { message };
  }

  #explain(diagnosis: Diagnosis, row: RefusedRow): string {
    if (diagnosis.kind === "unexplained") {
      return `no single property explains it; the API's message: "${diagnosis.message}"`;
    }
    const name = diagnosis.property;
    const type = this.#typeOf(name, row.update.user_properties[name]);
    return (
      `the API refuses property "${name}" (is it registered in the console, as ${type}?); ` +
      `the API's message: "${diagnosis.message}"`
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
