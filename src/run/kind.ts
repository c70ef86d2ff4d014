/**
 * What differs between the kinds of run (profiles, events, …): the one run engine (run.ts) reads,
 * orders, batches, paces, sends, retries, splits, dead-letters, records and reports every kind the
 * same way, and asks its kind only these questions. A kind is one small file (kinds/*.ts).
 */
import type { Identity, ProfileUpdate } from "../api/dfinery.js";
import type { AttemptResult } from "../delivery/classify.js";
import type { Sender } from "../delivery/deliver.js";
import type { RowFailure } from "../errors.js";
import type { Mapping } from "../mapping/types.js";
import type { DeadLetterRecord } from "../sinks/dead-letter.js";
import type { ReportWords } from "../sinks/report.js";
import type { SourceFormat, SourceRow } from "../source/types.js";
import type { StateCommand } from "../state/index.js";
import type { Scratch } from "./scratch.js";
import type { RunState } from "./state-link.js";

/**
 * A row as read. `line`: its line in the original input (a replayed row's original line); `at`:
 * where it was read, strictly increasing over the run's files (what resume tracks: `fileAt`);
 * `done`: an interrupted pass
 * of this run did it (it is assembled only so that the units after it keep their ids).
 */
export interface Row {
  readonly line: number;
  /** The file it was read from when the run reads several (a replayed row: its original file). */
  readonly file?: string | undefined;
  readonly at: number;
  readonly row: unknown;
  readonly format: SourceFormat;
  /** Events: the n-th identical event of its input (n ≥ 2), as a dead letter records it. */
  readonly occurrence?: number;
  readonly done?: true;
}

/** Where a row sorts with --group-by-identity (spill.ts): its identity's key; its item group's value. */
export interface SpillKey {
  readonly identity: string;
  readonly group?: string;
}

/** A unit (one profile update, one event) with the rows it came from. */
export interface Pending<U> {
  readonly unit: U;
  readonly rows: readonly Row[];
  /**
   * A unit merged from several of one identity (profiles, `--group-by-identity`): the units it
   * was merged from, in file order. Refused for good, it is sent again as its parts.
   */
  readonly parts?: readonly Pending<U>[];
}

/** What a kind's assembler finishes: a unit of one identity, or rows failed before sending. */
export type Finished<U> =
  | (Pending<U> & { readonly ok: true; readonly identity: Identity })
  | {
      readonly ok: false;
      readonly rows: readonly (Row & { readonly failure: RowFailure })[];
      /** What a stored payload held, kept in the new dead-letter record (a replay); else null. */
      readonly payload: DeadLetterRecord["payload"];
    };

/**
 * One run's rows → units, in file order (stateful: events gather CSV item groups and count
 * identical events). What each call finished, if anything.
 */
export interface Assembler<U> {
  /** A readable row, mapped by the kind's mapping (`source`: as read; its cells are `row.row`). */
  row(row: Row, source: SourceRow): Finished<U> | undefined;
  /** A record that could not be read at all. */
  unreadable(row: Row & { readonly failure: RowFailure }): readonly Finished<U>[];
  /** Without a mapping: a dead-letter record's stored payload, sent again as it was. */
  stored(row: Row, payload: unknown): readonly Finished<U>[];
  /** The end of the input: what is still open. */
  flush(): readonly Finished<U>[];
  /**
   * A row the mapping's `where` left out: it ends what is open (CSV item groups: the rows on
   * either side of it are not one event; the same group value after it is a split group,
   * GROUP_SPLIT). What that finished.
   */
  cut?(): readonly Finished<U>[];
  /**
   * `--group-by-identity`: where a readable row sorts (the key of the identity it maps to; a row
   * that does not map sorts under ""). Absent: the kind cannot group.
   */
  spillKey?(row: Row, source: SourceRow): SpillKey;
}

/** A batch's bounds: at most `units` units, and at most `maxWeight` of their `weight` in all. */
export interface BatchLimits<U> {
  readonly units: number;
  readonly maxWeight: number;
  weight(unit: U): number;
  /**
   * Requests held in the run's window at most, for a --concurrency: a batch of one needs more than
   * the connections (rows waiting for their user's turn), batches of events have the batcher.
   */
  window(concurrency: number): number;
}

/** The state file's questions for a kind (`--state`): which units are known, how accepted ones are kept. */
export interface KindState<U> {
  /** Asked as the unit is assembled: accepted by an earlier run (an event's id), not sent. */
  knownAtRead(unit: U): boolean;
  /** Asked when the unit's turn comes in its identity's order (a profile's properties). */
  knownAtTurn(pending: Pending<U>): boolean;
  /**
   * Asked of a row as read, before it is mapped (the kinds sent a unit a request): whether the
   * state file knows this very row (state/row-key.ts) to map to what DFINERY holds now, with no
   * unit of its identity in flight. True: it is unchanged, and is not mapped. Absent: never.
   */
  knownAsRead?(row: Row, cells: Readonly<Record<string, unknown>>): boolean;
  /** A batch's units took their turn in their identities' order (sender.ts). */
  began?(units: readonly Pending<U>[]): void;
  /** A batch's units ended (accepted, dead-lettered or not attempted), after `accepted`. */
  settled?(units: readonly Pending<U>[]): void;
  /** A request's units were accepted, with the rows they came from. */
  accepted(units: readonly Pending<U>[]): void;
  /** Writes what is queued (the run's end). */
  flush(): void;
}

export { ACCEPTED, type ReportWords as KindWords } from "../sinks/report.js";

export interface Kind<U> {
  /** The command, in messages and the state file's owner. */
  readonly command: StateCommand;
  /** The summary's and the report's words for the rows the API took. */
  readonly words: ReportWords;
  /**
   * The mapping has an `identity` section alone (identities, deletes): it is loaded without asking
   * for properties, and its dead-letter records name the command (their payloads are alike).
   */
  readonly identityOnly: boolean;
  /** What the canary and the breaker count. */
  readonly counted: "rows" | "events";
  /** The API path requests go to. */
  readonly path: string;
  readonly limits: BatchLimits<U>;
  /** Refuses, with a UsageError, a mapping (or an input format) this kind cannot run. */
  checkMapping(mapping: Mapping | null, format: SourceFormat, file: string): void;
  /** `scratch`: the run's database on disk, for what could outgrow memory (events' closed groups). */
  assembler(mapping: Mapping | null, file: string, scratch?: Scratch): Assembler<U>;
  /** The request body for one identity's units, sent at `now`. */
  body(identity: Identity, units: readonly Pending<U>[], now: number): object;
  /** What a dead-letter record keeps of one unit refused (the body it alone would be sent in). */
  payload(identity: Identity, unit: U): DeadLetterRecord["payload"];
  state(state: RunState, onError: (error: unknown) => void): KindState<U>;
  /**
   * `--group-by-identity`: one unit of two of the same identity, `b` read after `a`, with the same
   * end state as sending `a` then `b` (profiles: the union of the properties, `b`'s winning).
   * Absent: a kind's units of one identity are batched, not merged (events).
   */
  merge?(a: U, b: U): U;
  /**
   * Profiles: the breaker's diagnosis re-sends a refused unit with some of its properties to name
   * the one refused. `update`: the unit as a profile update; `send`: one probe through `sender`.
   */
  readonly diagnosis?: {
    update(unit: U): ProfileUpdate;
    send(sender: Sender, update: ProfileUpdate, now: number): Promise<AttemptResult>;
  };
}
