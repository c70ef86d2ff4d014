/**
 * A full collection of V8's heap on request, where the process allows one: the bins do
 * (cli/process-settings.ts), a library user's process is left to its own collector. The collector
 * is made on the first request, so a run that never asks for one costs nothing.
 */
export type FullCollector = () => void;

let make: (() => FullCollector) | undefined;
let made: FullCollector | undefined;

/** Lets fullCollector() give collections, made by `maker` when first asked for (none: undefined). */
export function allowFullCollections(maker: (() => FullCollector) | undefined): void {
  make = maker;
  made = undefined;
}

/** The process's full collector, or undefined where none is allowed. */
export function fullCollector(): FullCollector | undefined {
  if (made === undefined && make !== undefined) made = make();
  return made;
}
