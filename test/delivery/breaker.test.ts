import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/seeded-random.js";
import { Breaker, DEFAULT_BREAKER } from "../../src/delivery/breaker.js";

describe("Breaker", () => {
  it("trips at the 20th refusal in a row with one code, not before", () => {
    const breaker = new Breaker();
    for (let i = 1; i < 20; i++) expect(breaker.refused("40001")).toBeUndefined();
    expect(breaker.refused("40001")).toEqual({
      rule: "same-code",
      code: "40001",
      failures: 20,
      answers: 20,
      steps: 20,
    });
  });

  it("counts the refused events of one batch as one step of the streak", () => {
    const breaker = new Breaker();
    // One user's 100 bad events, refused one by one: one step, and 100 of 100 answers is judged
    // only once the window holds 200.
    for (let i = 0; i < 100; i++) expect(breaker.refused("40001", 1)).toBeUndefined();
    // Batches taking turns: each new batch is a step; the 20th trips.
    for (let batch = 2; batch < 20; batch++) {
      expect(breaker.refused("40001", batch)).toBeUndefined();
      expect(breaker.refused("40001", 1)).toBeUndefined();
    }
    expect(breaker.refused("40001", 20)).toEqual({
      rule: "same-code",
      code: "40001",
      failures: 100 + 2 * 18 + 1,
      answers: 137,
      steps: 20,
    });
  });

  it("a batch's steps start again after an acceptance", () => {
    const breaker = new Breaker();
    for (let batch = 1; batch < 20; batch++) breaker.refused("40001", batch);
    breaker.accepted();
    for (let batch = 1; batch < 20; batch++)
      expect(breaker.refused("40001", batch)).toBeUndefined();
    expect(breaker.refused("40001", 20)).toMatchObject({ rule: "same-code", steps: 20 });
  });

  it("starts counting again after an accepted row", () => {
    const breaker = new Breaker();
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 19; i++) expect(breaker.refused("40001")).toBeUndefined();
      breaker.accepted();
      for (let i = 0; i < 19; i++) breaker.accepted(); // keep the error rate at 50%
    }
  });

  it("counts a request's n acceptances as n answers", () => {
    const trips = (accept: (breaker: Breaker) => void) => {
      const breaker = new Breaker();
      const at: number[] = [];
      for (let i = 0; i < 600; i++) {
        if (i % 12 === 11) accept(breaker);
        else if (breaker.refused(`4000${i % 3}`) !== undefined) at.push(i);
      }
      return at;
    };
    const oneByOne = trips((breaker) => {
      for (let k = 0; k < 11; k++) breaker.accepted();
    });
    expect(oneByOne.length).toBeGreaterThan(0); // 11 refused in 22 answers: past half at times
    expect(trips((breaker) => breaker.accepted(11))).toEqual(oneByOne);
    expect(trips((breaker) => breaker.accepted(10))).not.toEqual(oneByOne);
  });

  it("trips when over half of the last 200 rows are refused, whatever their codes", () => {
    const breaker = new Breaker();
    const codes = ["40000", "40001", "40403"];
    let trip: ReturnType<Breaker["refused"]>;
    for (let i = 0; trip === undefined && i < 1_000; i++) {
      // Two refusals (codes taking turns), one acceptance: 67% refused, never 20 in a row.
      if (i % 3 === 2) breaker.accepted();
      else trip = breaker.refused(codes[i % codes.length] as string);
    }
    expect(trip).toMatchObject({ rule: "error-rate", answers: 200 });
    expect(trip?.failures).toBeGreaterThan(100);
  });

  it("does not trip on mixed permanent failures: 30% of rows refused at random, 100,000 rows", () => {
    const random = seededRandom(7);
    const breaker = new Breaker();
    let trips = 0;
    for (let i = 0; i < 100_000; i++) {
      const refused = random() < 0.3;
      const trip = refused
        ? breaker.refused(random() < 0.5 ? "40001" : "40000")
        : breaker.accepted();
      if (trip !== undefined) trips++;
    }
    expect(trips).toBe(0);
  });

  it("--max-error-rate 1 turns it off", () => {
    const breaker = new Breaker({ ...DEFAULT_BREAKER, maxErrorRate: 1 });
    for (let i = 0; i < 1_000; i++) expect(breaker.refused("40001")).toBeUndefined();
  });
});
