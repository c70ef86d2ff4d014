import { afterEach, describe, expect, it } from "vitest";
import { setProcessSettings } from "../../src/cli/process-settings.js";
import { GROWTH, LOOK_EVERY, oldBytes, SPACING, SpillHeap } from "../../src/run/spill-heap.js";
import { allowFullCollections, fullCollector } from "../../src/util/full-collection.js";

const MiB = 1024 * 1024;

describe("the spill's heap", () => {
  afterEach(() => allowFullCollections(undefined));

  it("collects once the old generation has grown by GROWTH, SPACING rows at least after the last", () => {
    let bytes = 20 * MiB;
    const collected: number[] = [];
    const heap = new SpillHeap(
      () => {
        collected.push(bytes);
        bytes = 21 * MiB; // what the collection left
      },
      () => bytes,
    );
    const steps = (n: number) => {
      for (let i = 0; i < n; i++) heap.step();
    };
    bytes += GROWTH; // grown by GROWTH, but within SPACING rows of the start
    steps(SPACING - 1);
    expect(collected).toEqual([]);
    steps(1);
    expect(collected).toEqual([20 * MiB + GROWTH]);
    bytes = 21 * MiB + GROWTH - 1; // measured from what the collection left: not yet
    steps(SPACING);
    expect(collected).toHaveLength(1);
    bytes += 1; // grown by GROWTH: at the next look, not before
    steps(LOOK_EVERY - 1);
    expect(collected).toHaveLength(1);
    steps(1);
    expect(collected).toEqual([20 * MiB + GROWTH, 21 * MiB + GROWTH]);
  });

  it("watches nothing where the process allows no collection (a library user's)", () => {
    allowFullCollections(undefined);
    expect(fullCollector()).toBeUndefined();
    expect(SpillHeap.watch()).toBeUndefined();
  });

  it("reads the old generation's bytes", () => {
    expect(oldBytes()).toBeGreaterThan(MiB);
  });
});

describe("the bins' full collections", () => {
  afterEach(() => allowFullCollections(undefined));

  it("free what nothing holds, made once, with no gc left to later contexts", async () => {
    setProcessSettings();
    const collect = fullCollector();
    expect(collect).toBeTypeOf("function");
    expect(fullCollector()).toBe(collect);
    expect(SpillHeap.watch()).toBeInstanceOf(SpillHeap);
    let held: object | undefined = { big: new Array(1_000).fill("x") };
    const ref = new WeakRef(held);
    held = undefined;
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target to the turn's end
    collect?.();
    expect(ref.deref()).toBeUndefined();
    const { runInNewContext } = await import("node:vm");
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });
});
