/**
 * The nightly diff's second thread (diff-source.ts starts it): reads the run's file, keys each
 * row as the run would (row-key.ts, under the run's secret prefix) and finds it among the rows
 * the state file knew (the run's own slots, shared). Posts batches in file order: a row not
 * known, and every other item, as itself; a known row as its line and slot only. Whether a known
 * row is still unchanged (its identity untouched) is for the run's thread to say as it steps it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { readSourceBatches } from "../source/read.js";
import type { SourceItem } from "../source/types.js";
import { KnownRows, keyOfRow } from "../state/index.js";
import { isBlank } from "./blank.js";
import type { Cells, DiffWorkerData, ToRun, ToWorker, WireKnown } from "./diff-wire.js";
import { toWire } from "./diff-wire.js";
import { repeatedHeader } from "./headers.js";

const port = parentPort;
if (port === null) throw new Error("diff-worker.ts runs as a worker thread");
const data = workerData as DiffWorkerData;
const known = KnownRows.of(data.slots);
const markers = new Set(data.markers);
const { prefix, options, batchItems } = data;
const { format } = options;

/** Posted batches not acknowledged → their known rows' cells. */
const held = new Map<number, Cells[]>();
let wake: (() => void) | undefined;

port.on("message", (message: ToWorker) => {
  if (message.type === "ack") {
    held.delete(message.id);
    wake?.();
  } else {
    post({ type: "cells", id: message.id, cells: held.get(message.id) ?? [] });
  }
});

function post(message: ToRun): void {
  (port as NonNullable<typeof port>).postMessage(message);
}

/** A row the state file knew as read, under this run's mapping: its slot, or -1. */
function slotOf(item: SourceItem): number {
  if (item.kind !== "row") return -1;
  const { cells } = item;
  // Neither is ever known (never mapped), but each is the run's to count: sent as itself.
  if (isBlank(cells, markers) || repeatedHeader(cells) !== undefined) return -1;
  const key = keyOfRow(prefix, cells, format);
  return key === undefined ? -1 : known.slotOf(key);
}

async function diff(): Promise<void> {
  let id = 0;
  let items: (SourceItem | WireKnown)[] = [];
  let pairs: number[] = [];
  let cells: Cells[] = [];
  let open: { from: number } | undefined; // the run of known rows being gathered
  const close = () => {
    if (open === undefined) return;
    items.push({ kind: "known", from: open.from, to: cells.length });
    open = undefined;
  };
  const flush = async () => {
    close();
    if (items.length === 0) return;
    held.set(id, cells);
    post({ type: "batch", id, items, pairs: Int32Array.from(pairs) });
    id++;
    items = [];
    pairs = [];
    cells = [];
    while (held.size >= data.inFlight) await new Promise<void>((resolve) => (wake = resolve));
  };
  try {
    for await (const batch of readSourceBatches(options)) {
      for (const item of batch) {
        const slot = slotOf(item);
        if (slot === -1) {
          close();
          items.push(item);
          continue;
        }
        open ??= { from: cells.length };
        pairs.push((item as { line: number }).line, slot);
        cells.push((item as { cells: Cells }).cells);
      }
      if (items.length + cells.length >= batchItems) await flush();
    }
  } finally {
    await flush(); // the rows read before an input error go before it, as the source gives them
  }
  post({ type: "end" });
}

diff().catch((error: unknown) => post({ type: "error", error: toWire(error) }));
