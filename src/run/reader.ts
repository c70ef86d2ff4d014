/**
 * The reading side of a run, for every kind: source items → the kind's finished units, in file
 * order. The header is checked against the mapping and, in NDJSON, the mapped paths against the
 * first records; blank rows are counted apart; rows an interrupted pass did are marked done; a
 * dead-letter file given as input is replayed (decided on its first row) in its original line
 * order: each record's original row mapped again, or, without a mapping, its stored payload sent
 * again. What each row finishes goes to `take`: a promise only when there is something to wait for.
 * With --group-by-identity, the rows read are spilled to disk (spill.ts) and assembled at the end
 * of the input in identity order (regroup.ts), what they finish going to `takeByIdentity`.
 */
import type { RowFailure } from "../errors.js";
import { checkColumns } from "../mapping/load.js";
import {
  checkJsonColumnPaths,
  checkPaths,
  PATH_SAMPLE,
  type PathPresence,
} from "../mapping/paths.js";
import { mayStall } from "../source/open.js";
import type { SourceRow } from "../source/types.js";
import { Breather } from "../util/breather.js";
import { isBlank } from "./blank.js";
import type { RunConfig } from "./config.js";
import type { KnownItem } from "./diff-wire.js";
import { fileAt } from "./file-book.js";
import { repeatedHeader } from "./headers.js";
import type { InputItem } from "./input.js";
import type { Assembler, Finished, Kind, Row, SpillKey } from "./kind.js";
import type { RunLedger } from "./ledger.js";
import { LineOrder } from "./line-order.js";
import { readAhead } from "./read-ahead.js";
import { Regroup } from "./regroup.js";
import {
  checkReplayCommand,
  isDeadLetterRecord,
  notDeadLetters,
  type ReplayItem,
  toReplayItem,
} from "./replay.js";
import { RowFilter } from "./row-filter.js";
import type { Scratch } from "./scratch.js";
import type { Spill } from "./spill.js";
import type { RunState } from "./state-link.js";

/**
 * Dead-letter records are written as rows end: out of line order by at most the read-ahead window
 * of the run that wrote them. Replays restore line order within this many, so a user's rows go in
 * their original order (for profiles, the last row wins).
 */
const REPLAY_REORDER = 10_000;

type Cells = Readonly<Record<string, unknown>>;

export interface ReaderParts<U> {
  readonly kind: Kind<U>;
  readonly config: RunConfig;
  readonly ledger: RunLedger;
  readonly state: RunState;
  /** A dry run of NDJSON: counts in how many rows each mapped path is present. */
  readonly presence: PathPresence | undefined;
  /** The run's database on disk, for what could outgrow memory (an assembler's closed groups). */
  readonly scratch: Scratch;
  /** --group-by-identity: where the rows go as read (a replayed dead-letter file's do not). */
  readonly spill: Spill | undefined;
  /** --group-by-identity: what the spilled rows finish, read back in identity order. */
  readonly takeByIdentity: (done: Finished<U>) => Promise<void> | undefined;
  /** With --state: a row known unchanged as read (true) is ended there, not mapped (run.ts). */
  readonly knownAsRead: ((row: Row, cells: Cells) => boolean) | undefined;
  /**
   * The same, for a row the diff worker found known (diff-source.ts), by its slot among the known
   * rows: false, it is mapped as any row (its cells asked of the worker).
   */
  readonly knownInSlot: ((at: number, slot: number) => boolean) | undefined;
  /**
   * Rows `from` to `to` (exclusive) of a batch's known rows (their line, slot `pairs`, lines after
   * `base`), as many as it can from `from` on, read and ended at once as knownInSlot would end
   * each: the index of the first not ended (`from`: step it one by one). Ended so, `after` gives
   * nothing for each row, and nothing between them can stop the run.
   */
  readonly knownRun:
    | ((pairs: Int32Array, base: number, from: number, to: number) => number)
    | undefined;
  readonly take: (done: Finished<U> | undefined) => Promise<void> | undefined;
  readonly takeAll: (all: readonly Finished<U>[]) => Promise<void>;
}

export class Reader<U> {
  readonly #p: ReaderParts<U>;
  readonly #markers: ReadonlySet<string>;
  readonly #reorder = new LineOrder<ReplayItem>(REPLAY_REORDER);
  /** The mapping's `where`, if any: a file's own, as its assembler is (a group ends with its file). */
  #filter: RowFilter | undefined;
  /** Whether the input is a dead-letter file; decided on its first row. */
  #replay: boolean | undefined;
  /** `at` must increase strictly (resume progress): a replay's count in replay order. */
  #replayed = 0;
  /** The file being read: its `at` base, and (several files) its name for the rows. */
  #base = 0;
  #file: string | undefined;
  /** The file's name in messages. */
  #name: string;
  /**
   * Each file is assembled on its own: identical events are counted within their file, an item
   * group ends with its file, so a file's units are the same whichever files are read with it.
   */
  #assembler: Assembler<U>;

  constructor(parts: ReaderParts<U>) {
    this.#p = parts;
    this.#markers = new Set(parts.config.mapping?.source.emptyValues.map((m) => m.trim()));
    this.#filter = RowFilter.of(parts.config.mapping);
    this.#name = parts.config.input;
    this.#assembler = parts.kind.assembler(parts.config.mapping, this.#name, parts.scratch);
  }

  /**
   * Reads every item (until the run stops), calling `after` once each is taken, or once a run of
   * known rows ended at once (awaited when it gives a promise: a row that sends nothing waits for
   * nothing). The items come in batches; each
   * batch is stepped in a plain loop, awaiting only what gives a promise.
   */
  async read(
    source: AsyncIterable<readonly InputItem[]>,
    after: () => Promise<void> | undefined,
  ): Promise<void> {
    const { ledger, config } = this.#p;
    const { mapping, format, input, inputs } = config;
    const iterator: AsyncIterator<readonly InputItem[]> = source[Symbol.asyncIterator]();
    try {
      // NDJSON, and CSV with JSON columns: the first records are read ahead to check the
      // mapping's paths before any request.
      const json = (mapping?.source.jsonColumns?.length ?? 0) > 0;
      const ahead =
        (format === "ndjson" || json) && mapping !== null
          ? await readAhead(
              iterator,
              !inputs.many && mayStall(input) ? config.batchWaitMs : undefined,
            )
          : { held: [], stalled: undefined };
      const { held } = ahead;
      const first = held.find((item) => item.kind === "row");
      if (mapping !== null && first?.kind === "row" && !isDeadLetterRecord(first.cells)) {
        const rows = held.flatMap((item) => (item.kind === "row" ? [item.cells] : []));
        const records = rows.slice(0, PATH_SAMPLE); // a batch may hold more
        const file = held.find((item) => item.kind === "file")?.file ?? input;
        const where = inputs.many ? file : input;
        if (format === "ndjson") checkPaths(mapping, records, where);
        else checkJsonColumnPaths(mapping, records, where);
      }
      // The sample read ahead is taken without a breather's turns: no timer cuts its users'
      // batches short (the batch wait) while it is taken, however slow the machine.
      if (held.length > 0 && !ledger.stop.aborted) await this.#steps(held, after, undefined);
      // A source may yield many items without waiting for input (a long record skipped, rows
      // read back from a scratch file): the loop lets signals and timers in as it goes.
      const breather = new Breather();
      let stalled = ahead.stalled;
      while (!ledger.stop.aborted) {
        const next = await (stalled ?? iterator.next());
        stalled = undefined;
        if (next.done === true) break;
        await this.#steps(next.value, after, breather);
      }
    } finally {
      await iterator.return?.();
    }
    if (ledger.stop.aborted) return;
    ledger.deadLetter.start(); // an input without rows
    for (const next of this.#reorder.drain()) {
      if (ledger.stop.aborted) return;
      await this.#replayOne(next);
    }
    await this.#p.takeAll(this.#assembler.flush());
    if (this.#p.spill !== undefined) await this.#regroup(this.#p.spill);
  }

  /**
   * The items of a batch, in order, each taken and then `after` called, until the run stops. The
   * first is taken whatever happened while the batch was read: a stop heard then still finds it
   * counted (not attempted), as an item read one at a time would be.
   */
  async #steps(
    items: readonly InputItem[],
    after: () => Promise<void> | undefined,
    breather: Breather | undefined,
  ): Promise<void> {
    const stop = this.#p.ledger.stop;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as InputItem;
      if (item.kind === "known") {
        await this.#knownRows(item, after, breather);
        if (stop.aborted) return;
        continue;
      }
      // Before the item is taken: a stop heard in the turn still finds it counted. Asked every
      // BREATHE_ROWS items: its clock read (~0.05 µs) is not worth paying for every row.
      if (breather !== undefined && i % BREATHE_ROWS === 0) {
        const turn = breather.due();
        if (turn !== undefined) await turn;
      }
      const taking = this.#step(item);
      if (taking !== undefined) await taking;
      const sending = after();
      if (sending !== undefined) await sending;
      if (stop.aborted) return;
    }
  }

  /** The spilled rows, in identity order, assembled file by file and taken. */
  async #regroup(spill: Spill): Promise<void> {
    const { ledger, kind, config, scratch, takeByIdentity } = this.#p;
    const regroup = new Regroup(kind, config.mapping, config.input, scratch);
    const take = async (all: readonly Finished<U>[]) => {
      for (const done of all) await takeByIdentity(done);
    };
    const breather = new Breather(); // reading back waits for nothing until a batch is full
    for (const spilled of spill.sorted()) {
      const turn = breather.due();
      if (turn !== undefined) await turn;
      if (ledger.stop.aborted) return; // leaving the loop ends the query
      const all = regroup.push(spilled);
      if (all.length > 0) await take(all);
    }
    await take(regroup.flush());
  }

  #step(item: Exclude<InputItem, KnownItem>): Promise<void> | undefined {
    const { ledger, config, kind } = this.#p;
    const { mapping, format } = config;
    if (item.kind === "file") return this.#nextFile(item.file, item.index);
    const input = this.#name;
    if (item.kind === "header") {
      if (mapping !== null) checkColumns(mapping, item.columns, input);
      return undefined;
    }
    ledger.deadLetter.start(); // the first row is read: now an earlier run's file may go
    if (item.kind === "row") {
      if (this.#replay === undefined) {
        if (mapping === null) checkReplayCommand(item.cells, kind.command, input, item.line, true);
        this.#replay = format === "ndjson" && isDeadLetterRecord(item.cells);
      }
      if (this.#replay) {
        if (mapping === null) checkReplayCommand(item.cells, kind.command, input, item.line);
        const next = this.#reorder.push(toReplayItem(item.cells, item.line));
        return next === undefined ? undefined : this.#replayOne(next);
      }
      if (mapping !== null && isBlank(item.cells, this.#markers)) {
        ledger.count.blank++; // beside rows, not in it: never sent, never a failure
        return undefined;
      }
    }
    // Without a mapping, a first record that is not even JSON is no dead-letter file either.
    if (mapping === null && this.#replay === undefined) {
      throw notDeadLetters(kind.command, input, item.line);
    }
    const { line } = item;
    const at = this.#base + line;
    // Done by an interrupted pass of this run: not counted again, assembled only for the ids.
    const done = this.#p.state.skip(at);
    if (!done) ledger.count.rows++;
    if (item.kind === "invalid") return this.#unreadable(line, at, item.raw, item.failure, done);
    return this.#row(item, at, done);
  }

  /**
   * Rows the diff worker found known as read (diff-source.ts), each stepped as #steps steps a row:
   * read as #step reads a CSV row, then ended unchanged if its identity is still untouched
   * (`knownInSlot`), or else mapped as any row, its cells asked of the worker (once a batch). Most
   * go as runs ended at once (`knownRun`: a nightly's ~990,000 rows known, ~0.15 µs a row one by
   * one): no stop can be heard between two rows of a run (nothing is awaited), so it is checked
   * after it, and after a turn of the breather (where one can) only the row in hand is taken first.
   */
  async #knownRows(
    { batch, from, to }: KnownItem,
    after: () => Promise<void> | undefined,
    breather: Breather | undefined,
  ): Promise<void> {
    const { ledger, state, knownInSlot, knownRun } = this.#p;
    const { pairs } = batch;
    // Rows are read (a known item holds at least one): as #step says for its first row, once.
    ledger.deadLetter.start();
    this.#replay ??= false; // a CSV/TSV row: the worker reads no dead-letter file
    // The breather is asked before the first row and then once 16 rows or more were stepped since:
    // a run of rows ended at once (under ~0.2 ms for a batch's 4,096) is one step.
    let ask = from;
    for (let i = from; i < to; i++) {
      let limit = to;
      if (breather !== undefined && i >= ask) {
        ask = i + BREATHE_ROWS;
        const turn = breather.due();
        if (turn !== undefined) {
          await turn;
          limit = i + 1; // a stop heard in the turn: the row in hand is taken, then the check
        }
      }
      // Most rows: a run of them ended at once (nothing can stop the run between them).
      const end = knownRun === undefined ? i : knownRun(pairs, this.#base, i, limit);
      if (end > i) {
        i = end - 1;
        const sending = after();
        if (sending !== undefined) await sending;
        if (ledger.stop.aborted) return;
        continue;
      }
      const line = pairs[2 * i] as number;
      const at = this.#base + line;
      const done = state.skip(at);
      if (!done) ledger.count.rows++;
      if (done || knownInSlot?.(at, pairs[2 * i + 1] as number) !== true) {
        const cells = (await batch.cells())[i] as Cells;
        const taking = this.#row({ kind: "row", line, cells }, at, done);
        if (taking !== undefined) await taking;
      }
      const sending = after();
      if (sending !== undefined) await sending;
      if (ledger.stop.aborted) return;
    }
  }

  /** A row read (#step), or a known row mapped after all (#knownRows). */
  #row(item: SourceRow, at: number, done: boolean): Promise<void> | undefined {
    const { config, take } = this.#p;
    const { format } = config;
    const { line } = item;
    const file = this.#file;
    const assembler = this.#assembler;
    const repeated = format === "ndjson" ? undefined : repeatedHeader(item.cells);
    if (repeated !== undefined) return this.#unreadable(line, at, item.cells, repeated, done);
    this.#p.presence?.count(item.cells);
    // The common row without spreads of empty objects: one object of one shape.
    const row: Row = done
      ? { line, file, row: item.cells, format, at, done }
      : { line, file, row: item.cells, format, at };
    const ended = this.#filter === undefined ? KEPT : this.#where(row, item.cells);
    if (ended !== KEPT) return ended;
    const spill = this.#p.spill;
    if (this.#p.knownAsRead?.(row, item.cells) === true) return undefined;
    if (spill === undefined) return take(assembler.row(row, item)); // the item itself: no copy
    spill.add(spillKeyOf(assembler, row, item), row);
    return undefined;
  }

  /**
   * The mapping's `where`, for every kind: a row it leaves out is filtered (done: nothing sent,
   * nothing stored but its line), one it cannot decide is dead-lettered. KEPT, or the row ended here.
   */
  #where(row: Row, cells: Cells): typeof KEPT | Promise<void> | undefined {
    const decision = (this.#filter as RowFilter).decide(cells, row.line);
    if (decision === true) return KEPT;
    const { ledger, state, takeAll } = this.#p;
    const assembler = this.#assembler;
    // The rows around a row left out are not one CSV item group (an interrupted pass cut there too).
    const ended = [...(assembler.cut?.() ?? [])];
    if (row.done === true) {
      // Filtered or dead-lettered by the interrupted pass: counted there.
    } else if (decision === false) {
      ledger.count.filtered++;
      state.filtered(row.at);
    } else {
      ended.push({ ok: false, rows: [{ ...row, failure: decision }], payload: null });
    }
    return ended.length === 0 ? undefined : takeAll(ended);
  }

  /** A row failed as it was read (a bad record, a repeated header): to the dead letters. */
  #unreadable(
    line: number,
    at: number,
    raw: unknown,
    failure: RowFailure,
    done: boolean,
  ): Promise<void> | undefined {
    const { format } = this.#p.config;
    const row = { line, file: this.#file, at, row: raw, format, failure };
    const unreadable = done ? { ...row, done: true as const } : row;
    if (this.#p.spill === undefined) return this.#p.takeAll(this.#assembler.unreadable(unreadable));
    this.#p.spill.addUnreadable(unreadable);
    return undefined;
  }

  /** The next file begins: what the last one left open ends, and its rows are numbered anew. */
  #nextFile(file: string, index: number): Promise<void> | undefined {
    const { kind, config, takeAll, scratch } = this.#p;
    this.#base = fileAt(index, 0);
    if (!config.inputs.many) return undefined;
    this.#file = this.#name = file;
    const ended = this.#assembler.flush();
    this.#assembler = kind.assembler(config.mapping, file, scratch);
    this.#filter = RowFilter.of(config.mapping);
    return ended.length === 0 ? undefined : takeAll(ended);
  }

  /** A dead-letter record, in line order: its row mapped again, or its stored payload. */
  #replayOne(r: ReplayItem): Promise<void> | undefined {
    const { ledger, config, takeAll } = this.#p;
    const assembler = this.#assembler;
    const at = ++this.#replayed;
    // Done by an interrupted pass of this run: not counted again (a stored unit keeps its id).
    const done = this.#p.state.skip(at);
    if (!done) ledger.count.rows++;
    if (r.kind === "unreadable") {
      const { line, file } = r;
      const row = { line, file, at, row: r.row, format: config.format, failure: r.failure };
      return done ? undefined : takeAll(assembler.unreadable(row));
    }
    const { line, cells } = r;
    const repeated = r.format === "ndjson" ? undefined : repeatedHeader(cells);
    if (repeated !== undefined) {
      const row = { line, file: r.file, at, row: cells, format: r.format, failure: repeated };
      return done ? undefined : takeAll(assembler.unreadable(row));
    }
    const row: Row = {
      line,
      file: r.file,
      at,
      row: cells,
      format: r.format,
      ...(r.occurrence === undefined ? {} : { occurrence: r.occurrence }),
      ...(done ? { done } : {}),
    };
    if (config.mapping === null)
      return done ? undefined : takeAll(assembler.stored(row, r.payload));
    const ended = this.#filter === undefined ? KEPT : this.#where(row, cells);
    if (ended !== KEPT) return ended;
    return this.#p.take(assembler.row(row, { kind: "row", line, cells }));
  }
}

function spillKeyOf<U>(assembler: Assembler<U>, row: Row, source: SourceRow): SpillKey {
  if (assembler.spillKey === undefined) throw new Error("this kind cannot group by identity");
  return assembler.spillKey(row, source);
}

/**
 * How many items of a batch the reader steps between asking its breather (see #steps; a run of
 * known rows ended at once is one step: #knownRows).
 */
const BREATHE_ROWS = 16;

const KEPT = Symbol("kept");
