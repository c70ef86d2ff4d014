/**
 * The nightly diff on two threads: a `--state` run of one CSV/TSV file whose known rows are held
 * in memory reads it through a worker (diff-worker.ts), which reads, tokenizes, keys and looks up
 * each row while this thread steps the rows it gives: a row the state file knew comes as its line
 * and slot only (a `known` item), and this thread says, as it steps it, whether its identity is
 * still untouched (its slot's mark: this thread's to set). A known row that must be mapped after
 * all (its identity touched, a resumed pass's done row, the canary's or the sample's) has its cells
 * asked of the worker, which keeps a batch's known rows until the batch is stepped. Every other
 * input keeps the one thread (input.ts).
 */
import { Worker } from "node:worker_threads";
import type { Mapping } from "../mapping/types.js";
import { mayStall } from "../source/open.js";
import type { KnownRows, SharedSlots } from "../state/index.js";
import type { RunConfig } from "./config.js";
import { diffWorkerFile, takeSpare } from "./diff-spare.js";
import type { Cells, DiffWorkerData, KnownBatch, KnownItem, ToRun, ToWorker } from "./diff-wire.js";
import { fromWire } from "./diff-wire.js";
import { type InputItem, type OpenInputs, readerOptions } from "./input.js";

/** Items a batch holds at least: a message a few thousand rows, not one a row. */
const BATCH_ITEMS = 4_096;
/**
 * Batches the worker reads ahead of this thread, at most (~65,000 rows, their cells held: ~30 MB).
 * This thread steps rows in bursts between its requests' answers and commits: with 4, the worker
 * waited for it ~0.65 s of a million rows; with 16, under 0.2 s (bench/README.md).
 */
const IN_FLIGHT = 16;

/** Whether the run's input is read on a second thread: one file, CSV/TSV, no `where` (see above). */
export function diffOnWorker(config: RunConfig, mapping: Mapping | null): mapping is Mapping {
  const { format, inputs } = config;
  const file = inputs.files[0];
  return (
    mapping !== null &&
    (format === "csv" || format === "tsv") &&
    !config.groupByIdentity &&
    !inputs.many &&
    file !== undefined &&
    file === config.input &&
    mapping.where === undefined &&
    (mapping.source.jsonColumns?.length ?? 0) === 0 &&
    !mayStall(file)
  );
}

/**
 * The worker, started before the run's thread reads the known rows (RunState.diffShare's `rows()`,
 * a third of a second for a million): it reads and keys the file's first rows meanwhile, and
 * looks them up once `diffInputs` gives it the slots. The caller closes it on every end (also
 * when no row is known from memory after all: the file is then read on this thread).
 */
export function startDiffWorker(
  config: RunConfig,
  mapping: Mapping,
  keys: { readonly prefix: string; readonly delimiter: string },
  open: OpenInputs,
): DiffWorker {
  const { signal: _, stdin: __, ...options } = readerOptions(config, mapping.source, open);
  return new DiffWorker({
    options: { ...options, input: config.input },
    prefix: keys.prefix,
    delimiter: keys.delimiter,
    markers: mapping.source.emptyValues.map((marker) => marker.trim()),
    batchItems: BATCH_ITEMS,
    inFlight: IN_FLIGHT,
  });
}

/** The run's items as openInputs gives them, a file's known rows (`rows`) as `known` items. */
export async function* diffInputs(
  config: RunConfig,
  worker: DiffWorker,
  rows: KnownRows,
  open: OpenInputs,
): AsyncGenerator<readonly (InputItem | KnownItem)[]> {
  const file = config.input;
  try {
    if (open.signal.aborted) return;
    if (open.skip(0)) {
      open.onSkip(file);
      return;
    }
    worker.give(rows.shared());
    yield [{ kind: "file", file, index: 0 }];
    for (;;) {
      const batch = await worker.next();
      if (batch === undefined) return;
      yield batch.items;
      worker.ack(batch.id); // stepped: its known rows' cells may go
    }
  } finally {
    await worker.close();
  }
}

type Waiter<T> = { resolve: (value: T) => void; reject: (error: unknown) => void };
type Batch = { readonly id: number; readonly items: readonly (InputItem | KnownItem)[] };

/** The worker, as this thread sees it: its batches in order, and what it fails with. */
export class DiffWorker {
  readonly #worker: Worker;
  readonly #batches: Batch[] = [];
  #waiting: Waiter<Batch | undefined> | undefined;
  readonly #cells = new Map<number, Waiter<readonly Cells[]>>();
  /** The worker posted its last batch (it still answers for their cells). */
  #ended = false;
  /** Terminated, or failed. */
  #closed = false;
  #failure: unknown;

  constructor(data: DiffWorkerData) {
    // The thread the process started with, if any (diff-spare.ts), given its work; else a new one.
    const spare = takeSpare();
    this.#worker = spare ?? new Worker(diffWorkerFile(), { workerData: data });
    this.#worker.on("message", (message: ToRun) => this.#heard(message));
    this.#worker.on("error", (error) => this.#crash(error)); // a bug in the worker: the run stops
    this.#worker.on("exit", (code) => {
      if (!this.#closed) this.#crash(new Error(`the diff worker exited (code ${code})`));
    });
    if (spare !== undefined) this.#post({ type: "start", data });
  }

  /** The next batch in file order; undefined at the end; throws what the worker failed with. */
  next(): Promise<Batch | undefined> {
    const batch = this.#batches.shift();
    if (batch !== undefined) return Promise.resolve(batch);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** The known rows' slots: the worker looks its rows up from now on. */
  give(slots: SharedSlots): void {
    this.#post({ type: "slots", slots });
  }

  ack(id: number): void {
    this.#post({ type: "ack", id });
  }

  /** Terminates it (again: nothing more). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker.terminate();
  }

  #heard(message: ToRun): void {
    switch (message.type) {
      case "batch": {
        const { id, pairs } = message;
        let cells: Promise<readonly Cells[]> | undefined;
        const batch: KnownBatch = {
          pairs,
          cells: () => {
            if (this.#closed) return Promise.reject(this.#failure);
            cells ??= new Promise((resolve, reject) => {
              this.#cells.set(id, { resolve, reject });
              this.#post({ type: "cells", id });
            });
            return cells;
          },
        };
        const items = message.items.map((item) =>
          item.kind === "known"
            ? { kind: "known" as const, batch, from: item.from, to: item.to }
            : item,
        );
        this.#give({ id, items });
        return;
      }
      case "cells":
        this.#cells.get(message.id)?.resolve(message.cells);
        this.#cells.delete(message.id);
        return;
      case "end":
        this.#ended = true;
        this.#waiting?.resolve(undefined);
        this.#waiting = undefined;
        return;
      case "error": {
        // The source failed (an input error): thrown once the batches before it are stepped, the
        // worker still answering for their cells, as the source throws after the rows before it.
        this.#failure = fromWire(message.error);
        this.#waiting?.reject(this.#failure);
        this.#waiting = undefined;
        return;
      }
    }
  }

  #give(batch: Batch): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#batches.push(batch);
    else waiting.resolve(batch);
  }

  /** The worker failed (a bug) or died: whatever waits for it fails, never hangs. */
  #crash(error: unknown): void {
    if (this.#closed) return;
    this.#failure ??= error;
    this.#closed = true;
    this.#waiting?.reject(this.#failure);
    this.#waiting = undefined;
    for (const waiter of this.#cells.values()) waiter.reject(this.#failure);
    this.#cells.clear();
    void this.#worker.terminate();
  }

  #post(message: ToWorker): void {
    if (!this.#closed) this.#worker.postMessage(message);
  }
}
