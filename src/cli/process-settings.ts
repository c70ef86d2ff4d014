/**
 * V8 settings of the bins' process, set before anything runs (bin.ts; the bench's children stand
 * for the bins and set them too).
 *
 * `--liftoff-only`: the HTTP client (undici) parses answers with llhttp compiled to WebAssembly,
 * and V8's optimizing compile of its one very large function took 25-37 MB of memory for about
 * half a second, a while after the first requests: at the start of every delivery, on top of
 * whatever the run held then (the peak RSS of `--group-by-identity`, whose sending starts after
 * its whole input is read; heaptrack in bench/README.md, issue 20's memory). The baseline
 * compiler's code parses the API's short answers at no CPU cost that could be measured
 * (20,000 requests: 104 vs 104 µs a request; a delivery of 200,000 events: 4.5 vs 4.7 s of CPU).
 * There is no other WebAssembly in the process.
 *
 * Full collections on request (util/full-collection.ts): V8's `gc`, taken from a context made
 * while `--expose-gc` is set (the main context was made without it; the flag is cleared again, so
 * no later context has a `gc`). `--group-by-identity` asks for one when the heap has grown by
 * what its spilled rows' values left there (run/spill-heap.ts).
 *
 * Library users' processes are left as they are.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { allowFullCollections, type FullCollector } from "../util/full-collection.js";

export function setProcessSettings(): void {
  setFlagsFromString("--liftoff-only");
  allowFullCollections(exposedGc);
}

function exposedGc(): FullCollector {
  setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as FullCollector;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}
