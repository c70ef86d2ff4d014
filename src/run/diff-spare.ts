/**
 * The nightly diff's thread (diff-worker.ts) started as the process starts, before the run knows
 * it will read on one: its start and modules (~70 ms) then run while the run's thread loads its
 * own and sets up, not after, with the run's thread waiting for its first rows. The bins start
 * one when the command line may ask for a nightly diff of a CSV or TSV file (cli/early-state.ts);
 * the run takes it (`takeSpare`) instead of starting a thread and gives it its work in a first
 * message. Not taken (another input, a dry run), it holds the process to nothing and ends with it.
 */
import { Worker } from "node:worker_threads";

let spare: Worker | undefined;

/** Starts the spare thread (once; nothing after it was taken). */
export function startSpare(): void {
  if (spare !== undefined) return;
  const worker = new Worker(diffWorkerFile());
  worker.unref(); // waits for its work without keeping the process alive
  // Failed before it was taken (a bug in it): never taken; the run starts its own, which fails
  // as this one did, where the run can tell.
  const gone = () => {
    if (spare === worker) spare = undefined;
  };
  worker.once("error", gone);
  worker.once("exit", gone);
  spare = worker;
}

/** The spare thread, started and waiting for its work (to be given once), or undefined. */
export function takeSpare(): Worker | undefined {
  const worker = spare;
  spare = undefined;
  if (worker === undefined) return undefined;
  worker.removeAllListeners("error");
  worker.removeAllListeners("exit");
  worker.ref();
  return worker;
}

/** The worker's module: beside this one once built (tests run the sources: the built one). */
export function diffWorkerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../../dist/src/run/diff-worker.js", here)
    : new URL("./diff-worker.js", here);
}
