/**
 * What the nightly diff's worker (diff-worker.ts) and the run's thread (diff-source.ts) say to
 * each other. The worker starts before the known rows are read, and is given their slots once they
 * are (it keys the first rows meanwhile). Batches go in file order; a batch's known rows go as (line, slot) pairs, their cells
 * kept by the worker until the run's thread has stepped the batch (`ack`), in case it must map one.
 */
import { ImporterError, InputError, type RunErrorCode, UsageError } from "../errors.js";
import type { SourceItem, SourceOptions } from "../source/types.js";
import type { SharedSlots } from "../state/known-rows.js";

export type Cells = Readonly<Record<string, unknown>>;

/** Known rows the worker found, in file order: `from` to `to` (exclusive) of the batch's pairs. */
export interface KnownItem {
  readonly kind: "known";
  readonly batch: KnownBatch;
  readonly from: number;
  readonly to: number;
}

/** A batch's known rows: (line, slot) pairs, and their cells when asked. */
export interface KnownBatch {
  readonly pairs: Int32Array;
  cells(): Promise<readonly Cells[]>;
}

/** What the worker is started with (structured clone; the prefix is secret: never logged). */
export interface DiffWorkerData {
  /** The file read as the run would read it (no signal, no stdin: a file). */
  readonly options: Omit<SourceOptions, "signal" | "stdin">;
  /** The row keys' secret prefix (row-key.ts). */
  readonly prefix: string;
  /** The delimiter the row keys write texts with (row-key.ts `RowTexts`). */
  readonly delimiter: string;
  /** The mapping's `empty_values`, trimmed: a blank row goes as an item, as any row not known. */
  readonly markers: readonly string[];
  /** Items a batch holds at least (but the last). */
  readonly batchItems: number;
  /** Batches posted and not acknowledged, at most: the worker waits for an ack past it. */
  readonly inFlight: number;
}

/** A batch's run of known rows: pairs `from` to `to` (exclusive) of its `pairs`. */
export interface WireKnown {
  readonly kind: "known";
  readonly from: number;
  readonly to: number;
}

export type ToRun =
  | {
      readonly type: "batch";
      readonly id: number;
      readonly items: readonly (SourceItem | WireKnown)[];
      /** line, slot of each known row, in file order. */
      readonly pairs: Int32Array;
    }
  | { readonly type: "cells"; readonly id: number; readonly cells: readonly Cells[] }
  | { readonly type: "end" }
  | { readonly type: "error"; readonly error: WireError };

export type ToWorker =
  /** Its work, to a thread started without it (diff-spare.ts); first, and once. */
  | { readonly type: "start"; readonly data: DiffWorkerData }
  /**
   * The known rows' slots, shared with the run's thread (it owns their touched marks): posted once
   * they are read, the worker reading and keying the first rows meanwhile.
   */
  | { readonly type: "slots"; readonly slots: SharedSlots }
  /** The batch is stepped: its known rows' cells may go. */
  | { readonly type: "ack"; readonly id: number }
  /** The cells of the batch's known rows, in pair order (a row that must be mapped after all). */
  | { readonly type: "cells"; readonly id: number };

/** An error thrown in the worker, as the run's thread rebuilds it. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: RunErrorCode | undefined;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly stack?: string | undefined;
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { name, message, stack } = error;
  const code = error instanceof ImporterError ? error.code : undefined;
  if (!(error instanceof InputError)) return { name, message, code, stack };
  return { name, message, code, file: error.file, line: error.line, stack };
}

/** The error as the source threw it in the worker: the same class, code and message. */
export function fromWire(wire: WireError): Error {
  const { name, message, code, file, line } = wire;
  let error: Error;
  if (name === "InputError" && file !== undefined) {
    const where = line === undefined ? `${file}: ` : `${file}:${line}: `;
    error = new InputError(file, message.slice(where.length), line);
  } else if (name === "UsageError") {
    error = new UsageError(message);
  } else if (code !== undefined) {
    error = new ImporterError(code, message);
  } else {
    error = new Error(message);
  }
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
