/**
 * A run of the importer, of any kind (kind.ts): one input, one mapping, one report. Rows are read
 * and assembled into units by the kind (reader.ts), past the canary, gathered per identity into
 * batches (batcher.ts; sent by the reading loop and, while the input stalls, by the due timer)
 * and sent one request per batch (sender.ts: file order per user, refused batches split). Every
 * input row ends accepted, unchanged, dead-lettered or not attempted; the report balances.
 */
import { type RowFailure, UsageError } from "../errors.js";
import { PathPresence } from "../mapping/paths.js";
import { type DeadLetterRecord, deadLetterRecord } from "../sinks/dead-letter.js";
import type { Report } from "../sinks/report.js";
import { runPhoneWatch } from "../sinks/wrong-country.js";
import type { KnownRows } from "../state/index.js";
import { type Batch, Batcher } from "./batcher.js";
import { canaryLived } from "./canary.js";
import { type RunConfig, type RunDeps, type RunInit, resolveDeps, resolveRun } from "./config.js";
import { openDelivery, type RunDelivery } from "./delivery-setup.js";
import { type DiffWorker, diffInputs, diffOnWorker, startDiffWorker } from "./diff-source.js";
import { DueTimer, tickPeriodMs } from "./due-timer.js";
import { FailureWatch } from "./failure-watch.js";
import { IdentityRuns } from "./identity-runs.js";
import { type OpenInputs, openInputs } from "./input.js";
import type { Finished, Kind, KindState, Row } from "./kind.js";
import { type Progress, RunLedger } from "./ledger.js";
import { Reader } from "./reader.js";
import { Scratch } from "./scratch.js";
import { MAX_UNSAVED, Sender } from "./sender.js";
import { startingWindow } from "./slow-start.js";
import { Spill } from "./spill.js";
import { NO_STATE } from "./state-link.js";
import { Window } from "./window.js";

/** Rows the reader takes without waiting once it has waited for the sending (profiles). */
const READ_ROOM = 16;

export class Run<U> {
  readonly kind: Kind<U>;
  readonly config: RunConfig;
  readonly #deps: RunDeps;
  readonly #ledger: RunLedger;
  readonly #state: KindState<U>;
  readonly #watch: FailureWatch;
  /** On disk, opened on first use: what could outgrow memory (closed item groups). */
  readonly #scratch = new Scratch();
  /**
   * --group-by-identity: the rows spilled, in a database of their own (it is read while the
   * assemblers write closed groups to the other); written once and read once in order, with a
   * small page cache.
   */
  readonly #spillScratch = new Scratch(4_000);
  /** A dry run of NDJSON: in how many rows each mapped path is present. */
  readonly #presence: PathPresence | undefined;
  /** A dry run: whether the phones' country is probably wrong (numbers valid in another). */
  readonly #phones: ReturnType<typeof runPhoneWatch>;
  #sender: Sender<U> | undefined;

  constructor(kind: Kind<U>, init: RunInit, deps: Partial<RunDeps> = {}) {
    const config = resolveRun(init);
    const { mapping, format } = config;
    kind.checkMapping(mapping, format, config.input);
    this.kind = kind;
    this.config = config;
    this.#deps = resolveDeps(deps);
    this.#ledger = new RunLedger(config, this.#deps);
    this.#state = kind.state(this.#deps.state, (error) => this.#ledger.stopFor(error));
    this.#watch = new FailureWatch(mapping, config.delivery?.breaker, kind.counted);
    if (config.groupByIdentity && mapping !== null && !kind.assembler(mapping, "").spillKey) {
      throw new UsageError(`${kind.command} cannot group its rows by identity`);
    }
    this.#presence =
      mapping !== null && format === "ndjson" && config.delivery === null
        ? new PathPresence(mapping)
        : undefined;
    this.#phones =
      mapping !== null && config.delivery === null ? runPhoneWatch(mapping, format) : undefined;
  }

  /** The first bug that stopped the run, for the CLI to print with its stack. */
  get bug(): unknown {
    return this.#ledger.bug;
  }

  /** Batches made (a dry run: the requests it would send, refused ones not split). */
  get batches(): number {
    return this.#sender?.batches ?? 0;
  }

  /** Requests sent (batches, halves of refused ones, retries not counted). */
  get requests(): number {
    return this.#sender?.requests ?? 0;
  }

  /**
   * Reads, maps and delivers every row. Never throws: an unreadable input, an unwritable output or
   * a bug stops the run (`stoppedBy`), and the rows already in the pipeline still finish first.
   */
  async execute(): Promise<Report> {
    const ledger = this.#ledger;
    const { delivery } = this.config;
    const width = this.kind.limits.window(delivery?.concurrency ?? 1);
    const window = new Window(startingWindow(width, delivery?.breaker));
    let run: RunDelivery | undefined;
    try {
      ledger.deadLetter.open();
      if (delivery !== null) {
        const { sender, onWait } = this.#deps;
        run = openDelivery(delivery, ledger, { sender, onWait, path: this.kind.path });
      }
      this.#sender = new Sender({
        kind: this.kind,
        ledger,
        watch: this.#watch,
        state: this.#state,
        window,
        deps: run?.deps,
        width,
        // A window wider than the connections (profiles: rows wait for their user's turn) keeps
        // them busy while a reader that found it full waits for room for the next rows.
        room: Math.max(1, Math.min(READ_ROOM, width - (delivery?.concurrency ?? width))),
        unsaved: this.config.state === null ? undefined : new Window(MAX_UNSAVED),
        fail: (rows, payload, failure, attempts, permanent) =>
          this.#fail(rows, payload, failure, attempts, permanent),
        unchanged: (rows) => this.#unchanged(rows),
        unchangedAt: (at) => this.#unchangedAt(at),
        sample: this.config.sample,
        onSample: this.#deps.onSample,
      });
      await this.#readAll(window, this.#sender, run);
    } catch (error) {
      ledger.stopFor(error);
    }
    await window.drain();
    try {
      this.#state.flush();
    } catch (error) {
      ledger.stopFor(error);
    }
    await this.#explainBreaker(run);
    ledger.deadLetter.close();
    await run?.close();
    this.#scratch.close();
    this.#spillScratch.close();
    ledger.finish();
    return this.snapshot();
  }

  /** Once the breaker has stopped the run and it has drained: why (profiles: the refused property). */
  async #explainBreaker(run: RunDelivery | undefined): Promise<void> {
    const diagnosis = this.kind.diagnosis;
    if (run === undefined || diagnosis === undefined) return this.#watch.explain(this.#ledger);
    const { sender } = run.deps;
    const now = this.#ledger.now;
    await this.#watch.explain(this.#ledger, {
      send: (update) => diagnosis.send(sender, update, now()),
      log: this.#deps.onProbe,
    });
  }

  async #readAll(window: Window, sender: Sender<U>, run: RunDelivery | undefined): Promise<void> {
    const ledger = this.#ledger;
    const { config } = this;
    const { mapping, delivery } = config;
    const deps = run?.deps;
    const state = this.#state;
    const { limits } = this.kind;
    const batcher = new Batcher<U>({
      waitMs: config.batchWaitMs,
      maxPending: config.maxPending,
      limits,
    });
    // --group-by-identity: rows are spilled as read and come back a user's together: a batch
    // goes when full or when its user's units end, never for a wait.
    const spill = config.groupByIdentity ? new Spill(this.#spillScratch, config.format) : undefined;
    const runs = spill && new IdentityRuns<U>(this.kind.merge, (rows) => ledger.merged(rows));
    // --canary N: the first N units (a group of rows is one) are sent and awaited before the next.
    const canary = delivery?.canary ?? 0;
    let taken = 0;
    // No promise: this runs for every unit. The wait is a function apart: a closure made in here
    // over `rows` had every call make a context for them (40 bytes of heap a unit, measured).
    const canaryLets = (rows: readonly Row[]): true | Promise<boolean> =>
      taken++ !== canary || canary === 0 ? true : canaryWait(rows);
    const canaryWait = async (rows: readonly Row[]): Promise<boolean> => {
      await send(batcher.flush()); // the canary's units, all of them
      const drain = () => window.drain();
      if (await canaryLived(canary, this.kind.counted, drain, ledger, this.#watch)) return true;
      ledger.notAttemptedRows(rows); // the unit in hand
      return false;
    };
    // The reading loop and the due timer both send, one list after the other: file order per user.
    // What to wait for before reading on: the sender's chain, or nothing once it has gone.
    const send = (batches: readonly Batch<U>[]): Promise<void> | undefined => {
      if (batches.length > 0 && deps === undefined) {
        for (const batch of batches) sender.count(batch); // a dry run: nothing to wait for
      } else if (batches.length > 0 && deps !== undefined) {
        return sender.enqueue(batches, deps);
      }
      return sender.waiting;
    };
    // What fell due, sent. Nothing can fall due while no batch is open (a batch of one goes at
    // once, a dry run's too): then the clock is not read (~40 ns a row, of a dry run's ~5 µs) and
    // the answer is send's for no batches. `now`: the time of the row just taken, if it was
    // batched in the same synchronous step (rowNow); else the clock's.
    const sendDue = (now?: number) =>
      batcher.pending === 0 ? sender.waiting : send(batcher.due(now ?? ledger.now()));
    // The time a row's unit was batched at (batchesOf), read once for its due check right after it
    // (the reader's `after`: nothing runs between the two but the take's return when it batched a
    // unit and sent nothing): one clock read a row, not two (~50 ns each, ~1 % of a delivered
    // event). Cleared by its use, by the next take, and when a batch is sent or the reader waits.
    let rowNow: number | undefined;
    const sendDueAfterRow = () => {
      const now = rowNow;
      rowNow = undefined;
      return sendDue(now);
    };
    const timer = new DueTimer({
      periodMs: tickPeriodMs(config.batchWaitMs),
      tick: () => sendDue() ?? sender.chain,
      onError: (error) => ledger.stopFor(error),
      stop: ledger.stop,
    });
    // Sends what falls due while the input stalls (grouped, nothing is sent before its end).
    if (limits.units > 1 && spill === undefined) timer.start();
    // A finished unit (or failed rows): a promise only when there is something to wait for (a
    // batch to send, the canary), not one per row.
    const take = (done: Finished<U> | undefined, grouped = false): Promise<void> | undefined => {
      rowNow = undefined;
      // A unit's rows end together (one commit), so an interrupted pass did all of them or none.
      if (done === undefined || done.rows[0]?.done === true) return undefined;
      this.#watchPhones(done);
      const lets = canaryLets(done.rows);
      if (lets !== true) return lets.then((ok) => (ok ? place(done, grouped) : undefined));
      return place(done, grouped);
    };
    /** Units diffed at their turn (a batch of one, --state): without, none is known unchanged. */
    const diffsAtTurn = limits.units === 1 && this.#deps.state !== NO_STATE;
    const place = (done: Finished<U>, grouped: boolean): Promise<void> | undefined => {
      if (!done.ok) {
        for (const row of done.rows) this.#fail([row], done.payload, row.failure, 0, true);
        return undefined;
      }
      if (state.knownAtRead(done.unit)) {
        this.#unchanged(done.rows);
        return undefined;
      }
      if (grouped && runs !== undefined) {
        // In identity order: a kind that merges holds the user's units until its last.
        const { ready, ended } = runs.push(done);
        const out = ended ? batcher.flush() : []; // the user before has all its units in
        for (const unit of ready) out.push(...batchesOf(unit));
        rowNow = undefined; // taken at the input's end, not the reader's row
        return out.length === 0 ? undefined : send(out);
      }
      // A batch of one whose user has nothing in flight has its turn now: found unchanged (most
      // rows of a nightly --state run), it never enters the sending chain.
      if (diffsAtTurn && sender.idle(done.identity) && state.knownAtTurn(done)) {
        sender.unchangedAtRead(done.identity, done);
        return undefined;
      }
      const ready = batchesOf(done);
      if (ready.length === 0) return undefined;
      rowNow = undefined; // a batch goes first: the due check after it reads the clock again
      return send(ready);
    };
    const batchesOf = (done: Finished<U> & { ok: true }): readonly Batch<U>[] => {
      if (limits.units === 1) {
        // A batch of one goes at once.
        return [{ identity: done.identity, units: [done], weight: limits.weight(done.unit) }];
      }
      rowNow = ledger.now();
      return batcher.add(done.identity, done, rowNow);
    };
    const takeAll = async (all: readonly Finished<U>[]) => {
      for (const done of all) await take(done);
      rowNow = undefined; // the reader awaited this
    };
    // A row the state file knows unchanged as it is read (the kinds sent a unit a request, not
    // grouped): counted as its unit would have been (the canary's and the sample's units are
    // mapped), never mapped.
    const known = state.knownAsRead?.bind(state);
    const asRead = known !== undefined && limits.units === 1 && spill === undefined;
    /** Whether a row not done may be known as read: past the canary's units and the sample. */
    const mayKnow = (): boolean => (canary === 0 || taken > canary) && sender.sampled;
    const endKnown = (at: number): true => {
      taken++;
      sender.unchangedAsRead(at);
      return true;
    };
    const knownAsRead =
      asRead && mapping !== null
        ? (row: Row, cells: Readonly<Record<string, unknown>>): boolean =>
            row.done !== true && mayKnow() && known(row, cells) && endKnown(row.at)
        : undefined;
    const opening: OpenInputs = {
      stdin: this.#deps.stdin,
      signal: ledger.stop,
      skip: (index) => this.#deps.state.skipFile(index),
      onSkip: () => ledger.finishedFile(),
    };
    // One CSV/TSV file whose known rows are held: read, keyed and looked up on a second thread
    // (diff-source.ts), started before they are read (it keys the first rows meanwhile) and
    // closed on every end; a known row's identity still untouched is known as it is stepped here.
    let worker: DiffWorker | undefined;
    let rows: KnownRows | undefined;
    try {
      if (asRead && diffOnWorker(config, mapping)) {
        const share = this.#deps.state.diffShare?.();
        worker = share && startDiffWorker(config, mapping, share, opening);
        try {
          rows = share?.rows();
        } finally {
          if (rows === undefined) void worker?.close(); // none held: read on this thread
        }
      }
      const held = rows;
      // As knownAsRead for a row of the worker's, by its place alone: never a done row (asked of
      // rows not done), its Row never made when it is known.
      const knownInSlot =
        held === undefined
          ? undefined
          : (at: number, slot: number): boolean => mayKnow() && held.knownAt(slot) && endKnown(at);
      // The same for a run of the worker's known rows at once (the nightly's ~99 % of rows): those
      // from `from` on whose identities are untouched, when knownInSlot would end each of them and
      // the reader's `after` could neither send nor wait between them (no batch open, no list
      // waiting for a slot: it gives nothing for each) and no interrupted pass did any: read,
      // counted and ended unchanged in one call to the state. What ends them: the first not ended.
      const links = this.#deps.state;
      const knownRun =
        held === undefined
          ? undefined
          : (pairs: Int32Array, base: number, from: number, to: number): number => {
              if (!mayKnow() || batcher.pending !== 0 || sender.waiting !== undefined) return from;
              if (base + (pairs[2 * from] as number) <= links.doneThrough) return from;
              let end = from;
              while (end < to && held.knownAt(pairs[2 * end + 1] as number)) end++;
              const count = end - from;
              if (count === 0) return from;
              ledger.count.rows += count;
              taken += count;
              sender.unchangedRunAsRead(count);
              links.readUnchanged((i) => base + (pairs[2 * i] as number), from, end);
              ledger.count.unchanged += count;
              return end;
            };
      const reader = new Reader({
        kind: this.kind,
        config,
        ledger,
        state: this.#deps.state,
        presence: this.#presence,
        scratch: this.#scratch,
        spill,
        takeByIdentity: (done) => take(done, true),
        knownAsRead,
        knownInSlot,
        knownRun,
        take,
        takeAll,
      });
      const source =
        worker !== undefined && rows !== undefined
          ? diffInputs(config, worker, rows, opening)
          : openInputs(config, mapping?.source, opening);
      // After each row: what fell due, and what the timer sent (the read-ahead).
      await reader.read(source, sendDueAfterRow);
    } finally {
      // Also when the reader stopped before its first item, or anything after its start threw.
      await worker?.close();
    }
    for (const done of runs?.flush() ?? []) await send(batchesOf(done));
    await timer.stop();
    await send(batcher.flush());
  }

  /** A dry run: each row's phone cell and refusal, for whether the country is probably wrong. */
  #watchPhones(done: Finished<U>): void {
    const phones = this.#phones;
    if (phones === undefined) return;
    if (done.ok) for (const row of done.rows) phones.row(row.row);
    else for (const row of done.rows) phones.row(row.row, row.failure);
  }

  /** Counters for progress display, while the run goes on. */
  progress(): Progress {
    return this.#ledger.progress();
  }

  /** A unit's rows whose unit an earlier run had accepted: not sent, recorded in the state. */
  #unchanged(rows: readonly Row[]): void {
    for (const { at } of rows) this.#unchangedAt(at);
  }

  #unchangedAt(at: number): void {
    this.#deps.state.unchanged(at);
    this.#ledger.count.unchanged++;
  }

  /**
   * Dead-letters one unit's rows, recorded in the state file in one commit. If the file cannot be
   * written, the run stops and the row is not attempted. A row refused for good (`permanent`) the
   * same way as on an earlier run is still failing.
   */
  #fail(
    rows: readonly Row[],
    payload: DeadLetterRecord["payload"],
    failure: RowFailure,
    attempts: number,
    permanent: boolean,
  ): void {
    const state = this.#deps.state;
    const written: number[] = [];
    for (const row of rows) {
      const named = this.kind.identityOnly ? this.kind.command : undefined;
      const record = deadLetterRecord(row, payload, failure, attempts, this.#ledger.now(), named);
      if (!this.#ledger.deadLettered(row, record, failure, permanent)) continue;
      written.push(row.at);
      if (permanent && state.stillFailing(row.row, record.error)) this.#ledger.stillFailing();
    }
    state.deadLetteredRows(written);
  }

  /**
   * The report as of now; final once `execute()` has resolved. Taken earlier (a forced exit), rows
   * still in the pipeline count as not attempted, so the totals balance either way.
   */
  snapshot(): Report {
    const presence = this.#presence;
    const report = this.#ledger.snapshot(
      presence && { records: presence.records, present: presence.counts() },
    );
    const phoneCountry = this.#phones?.result();
    return phoneCountry === undefined ? report : { ...report, phoneCountry };
  }
}
