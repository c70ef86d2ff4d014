/**
 * V8 settings of the bins' process, set before anything runs (bin.ts; the bench's process and its
 * children stand for the bins and set them too: bench/run.ts).
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
 * `--no-allocation-site-pretenuring`: V8 counts, at each young collection, how many of the objects
 * an object or array literal made since the last are still alive, and from a literal whose
 * objects nearly all are (≥ 85 % of ≥ 100) it allocates every later object in the old generation,
 * for the rest of the process. A run's rows, records and requests live for one request: they are
 * all alive only when the pipeline stands still, as it does at the start of every delivery (the
 * slow start's 20 requests, 200 events, wait for a first answer) or at a slow answer. A young
 * collection that fell there made four literals of the events' path old-born in one run of
 * `--group-by-identity` in five to one in two: each object dead in the old generation but keeping
 * what it points to alive through every young collection until the next full one, so ~0.85 MiB
 * was promoted a young collection instead of ~0.05, and the peak RSS was ~215 MB instead of ~163
 * (bench/README.md, issue 20's grouping). Without it, a literal's objects are born young and die
 * young, at no more CPU in the runs measured.
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
  setFlagsFromString("--no-allocation-site-pretenuring");
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
