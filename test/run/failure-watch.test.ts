import { describe, expect, it } from "vitest";
import { rowFailure } from "../../src/errors.js";
import { FailureWatch } from "../../src/run/failure-watch.js";

const refusal = rowFailure("api", "40001", "VALIDATION_FAILURE: property x is not registered");

/** Refuses until the breaker trips; `batchOf(i)`: the batch of the i-th refusal. */
function tripOf(watch: FailureWatch, batchOf: (i: number) => number | undefined) {
  for (let i = 0; i < 1_000; i++) {
    const trip = watch.refused(refusal, undefined, batchOf(i));
    if (trip !== undefined) return watch.tripMessage(trip);
  }
  throw new Error("never tripped");
}

describe("FailureWatch's trip message", () => {
  it("says 'accepted none' only when the run accepted none", () => {
    expect(tripOf(new FailureWatch(null), () => undefined)).toMatch(
      /^the API refused 20 rows in a row with 40001 and accepted none: stopped/,
    );
    const watch = new FailureWatch(null);
    watch.accepted(5);
    expect(tripOf(watch, () => undefined)).toMatch(
      /^the API refused 20 rows in a row with 40001 with none accepted in between: stopped/,
    );
  });

  it("counts events in the requests they were first sent in", () => {
    // Two events refused alone per batch: the 20th batch trips at its first, the 39th event.
    const watch = new FailureWatch(null, undefined, "events");
    expect(tripOf(watch, (i) => Math.floor(i / 2))).toBe(
      "the API refused 39 events of 20 requests in a row with 40001 and accepted none: " +
        "stopped (circuit breaker) rather than send every event to be refused",
    );
  });
});
