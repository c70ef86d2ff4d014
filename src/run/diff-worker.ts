/**
 * The nightly diff's second thread (diff-source.ts starts it): reads the run's file, keys each
 * row as the run would (row-key.ts, under the run's secret prefix) and finds it among the rows
 * the state file knew (the run's own slots, shared, given once the run's thread has read them:
 * the first rows are read and keyed meanwhile). Posts batches in file order: a row not
 * known, and every other item, as itself; a known row as its line and slot only. Whether a known
 * row is still unchanged (its identity untouched) is for the run's thread to say as it steps it.
 * Once the slots are given, a plain line is keyed as it is offered, before it is read into cells,
 * and taken whole when known (known-lines.ts): most rows of a night are, and cost no cells.
 */
import { parentPort, workerData } from "node:worker_threads";
import { delimiterOf, readSourceBatches } from "../source/read.js";
import type { SourceItem } from "../source/types.js";
// From their own files, not the state layer's index: this thread needs neither SQLite nor the store.
import { KnownRows } from "../state/known-rows.js";
import { RowTexts } from "../state/row-key.js";
import { isBlank } from "./blank.js";
import type { Cells, DiffWorkerData, ToRun, ToWorker, WireKnown } from "./diff-wire.js";
import { toWire } from "./diff-wire.js";
import { repeatedHeader } from "./headers.js";
import { HeldCells } from "./held-cells.js";
import { KnownLines, type TakenLines } from "./known-lines.js";

const port = parentPort;
if (port === null) throw new Error("diff-worker.ts runs as a worker thread");
/**
 * Its work: given as it starts, or in a first message to a thread started before the run knew it
 * would read on one (diff-spare.ts). The messages after it wait until the work is set up.
 */
const before: ToWorker[] = [];
let heard: ((message: ToWorker) => void) | undefined;
let startWith: ((data: DiffWorkerData) => void) | undefined;
const started = new Promise<DiffWorkerData>((resolve) => (startWith = resolve));
port.on("message", (message: ToWorker) => {
  if (message.type === "start") startWith?.(message.data);
  else if (heard === undefined) before.push(message);
  else heard(message);
});
const data = (workerData as DiffWorkerData | null | undefined) ?? (await started);
const markers = new Set(data.markers);
const { prefix, options, batchItems, inFlight } = data;
const { format } = options;
const texts = new RowTexts(prefix, data.delimiter);
const lines = new KnownLines(texts, format, delimiterOf(format, options.delimiter));

/** The known rows, once the run's thread has read them and posted their slots. */
let known: KnownRows | undefined;
let given: ((rows: KnownRows) => void) | undefined;
const slots = new Promise<KnownRows>((resolve) => (given = resolve));
/** Posted batches not acknowledged → their known rows' cells; and those acknowledged, to reuse. */
const held = new Map<number, HeldCells>();
const free: HeldCells[] = [];
let wake: (() => void) | undefined;

heard = (message: ToWorker) => {
  switch (message.type) {
    case "start":
      return; // given once, above
    case "slots":
      known = KnownRows.of(message.slots); // the rows read from now on are looked up at once
      lines.look(known);
      given?.(known);
      return;
    case "ack": {
      const cells = held.get(message.id);
      held.delete(message.id);
      cells?.clear();
      if (cells !== undefined) free.push(cells);
      wake?.();
      return;
    }
    case "cells":
      post({
        type: "cells",
        id: message.id,
        cells: held.get(message.id)?.cells(lines.cellsOf) ?? [],
      });
      return;
  }
};
for (const message of before.splice(0)) heard(message);

function post(message: ToRun): void {
  (port as NonNullable<typeof port>).postMessage(message);
}

/** A row's key as the run would key it; undefined for an item that is never known. */
function keyOf(item: SourceItem): string | undefined {
  if (item.kind !== "row") return undefined;
  const { cells } = item;
  // Neither is ever known (never mapped), but each is the run's to count: sent as itself.
  if (isBlank(cells, markers) || repeatedHeader(cells) !== undefined) return undefined;
  return texts.key(cells, format);
}

/** A source batch, its items' keys, and the lines taken while it was read. */
type Keyed = readonly [readonly SourceItem[], readonly (string | undefined)[], TakenLines];

async function diff(): Promise<void> {
  let id = 0;
  let items: (SourceItem | WireKnown)[] = [];
  let pairs: number[] = [];
  let cells = free.pop() ?? new HeldCells();
  let knownRows = 0;
  let open: { from: number } | undefined; // the run of known rows being gathered
  const close = () => {
    if (open === undefined) return;
    items.push({ kind: "known", from: open.from, to: knownRows });
    open = undefined;
  };
  const flush = async () => {
    close();
    if (items.length === 0) return;
    cells.settle();
    held.set(id, cells);
    post({ type: "batch", id, items, pairs: Int32Array.from(pairs) });
    id++;
    items = [];
    pairs = [];
    cells = free.pop() ?? new HeldCells();
    knownRows = 0;
    while (held.size >= inFlight) await new Promise<void>((resolve) => (wake = resolve));
  };
  /** The taken lines `from` up to (not including) line `before`: known rows. */
  const takenUpTo = (taken: TakenLines, from: number, before: number): number => {
    let t = from;
    for (; t < taken.lines.length && (taken.lines[t] as number) < before; t++) {
      open ??= { from: knownRows };
      pairs.push(taken.lines[t] as number, taken.slots[t] as number);
      cells.addSpan(taken.texts[t] as string, taken.starts[t] as number, taken.ends[t] as number);
      knownRows++;
    }
    return t;
  };
  /**
   * A source batch, its keys found among the known rows (the slots given by now), and the lines
   * taken as it was read put back in their places among its items.
   */
  let found = new Int32Array(256); // the slots of a batch's keys
  const take = async ([batch, keys, taken]: Keyed, rows: KnownRows) => {
    if (found.length < keys.length) found = new Int32Array(keys.length * 2);
    rows.slotsOf(keys, keys.length, found); // their cache misses at once, not one a row
    let t = 0;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i] as SourceItem;
      if (item.kind !== "header") t = takenUpTo(taken, t, item.line);
      const slot = found[i] as number;
      if (slot === -1) {
        close();
        items.push(item);
        continue;
      }
      open ??= { from: knownRows };
      pairs.push((item as { line: number }).line, slot);
      cells.add((item as { cells: Cells }).cells);
      knownRows++;
    }
    takenUpTo(taken, t, Number.POSITIVE_INFINITY); // after the batch's items, before the next's
    if (items.length + knownRows >= batchItems) await flush();
  };
  // Read and keyed before the slots are given: a batch's worth, so that the first batch is ready
  // when they come. Not more: such rows are keyed from their cells, and the lines read once the
  // slots are given are taken whole, at a fraction of the cost; and while the run's thread reads
  // the known rows, a worker reading ahead takes the cores from it (16 batches ahead, as it read,
  // made the nightly 0.03-0.25 s slower in four alternated rounds, its peak RSS ~25 MB larger).
  const early: Keyed[] = [];
  let earlyItems = 0;
  const takeEarly = async () => {
    if (early.length === 0) return;
    known ??= await slots;
    for (const keyed of early) await take(keyed, known);
    early.length = 0;
  };
  try {
    for await (const batch of readSourceBatches({ ...options, lines })) {
      const keyed: Keyed = [batch, batch.map(keyOf), lines.drain()];
      if (known === undefined && earlyItems < batchItems) {
        early.push(keyed);
        earlyItems += batch.length;
        continue;
      }
      await takeEarly();
      known ??= await slots;
      await take(keyed, known);
    }
  } finally {
    await takeEarly();
    await flush(); // the rows read before an input error go before it, as the source gives them
  }
  post({ type: "end" });
}

diff().catch((error: unknown) => post({ type: "error", error: toWire(error) }));
