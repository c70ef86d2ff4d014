/**
 * A run's configuration, resolved once at the edge (the command line, or a library caller) into a
 * complete, typed config and one set of dependencies with one clock, passed down whole: nothing
 * below re-checks whether a setting was given. As the emulator's options (emulator/options.ts):
 * defaults here, `resolveRun` fills them.
 */

import { type BreakerOptions, DEFAULT_BREAKER } from "../delivery/breaker.js";
import type { Sender } from "../delivery/deliver.js";
import type { RateWait } from "../delivery/pacer.js";
import type { Rate } from "../delivery/rate.js";
import type { Mapping } from "../mapping/types.js";
import { type Inputs, oneInput } from "../source/inputs.js";
import type { SourceFormat } from "../source/types.js";
import { NO_STATE, type RunState } from "./state-link.js";

/** Counts an interrupted pass of the same run left (a resumed run starts from them). */
export interface CarriedCounts {
  readonly accepted: number;
  readonly deadLettered: number;
  readonly unchanged: number;
  /** Rows the mapping's `where` left out. */
  readonly filtered: number;
}

/** What the diagnosis tells, one line per request it sent. */
export type ProbeLog = (properties: readonly string[], answer: string) => void;

/** What a run reads: the files, their format, and what the command line says of their layout. */
export interface InputConfig {
  /** The inputs as the command line named them, in messages and the report. */
  readonly input: string;
  /** The files read, in name order (by default `input` alone), and those of a folder or glob skipped. */
  readonly inputs: Inputs;
  readonly format: SourceFormat;
  /** Undefined: the mapping's, else found by the reader (BOM, UTF-8). */
  readonly encoding: string | undefined;
  /** Undefined: the mapping's, else the format's. */
  readonly delimiter: string | undefined;
  /** xlsx: undefined for the mapping's `source.sheet`, else the first visible sheet. */
  readonly sheet: string | undefined;
}

/** How a run that sends delivers: where, with what, how fast, how patiently. */
export interface DeliveryConfig {
  readonly endpoint: string;
  readonly serviceId: string;
  readonly accessToken: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** The longest wait for the rate limit; a longer one stops the run (exit 3, resumable). */
  readonly maxWaitMs: number;
  /** The circuit breaker on permanent failures. */
  readonly breaker: BreakerOptions;
  /** Send the first N units, and stop (exit 3) before reading further if none was accepted. 0: off. */
  readonly canary: number;
}

/** The --state file (its path and key file) and how this run uses it. */
export interface StateConfig {
  readonly path: string;
  /** The state key file (`--state-key`, else beside the state file); created on first use. */
  readonly keyPath: string;
  /** Send every unit (the hashes, or event keys, are still refreshed); starts over instead of resuming. */
  readonly full: boolean;
  readonly resume: boolean;
  /** Events: once a run has finished, forget the events accepted longer than this before its start. Undefined: keep all. */
  readonly keepEventsMs: number | undefined;
}

/** How a run's outcome is told once it ends: the report file, the exit code's rule, the summary. */
export interface ReportConfig {
  /** Where the report is written; undefined: nowhere. */
  readonly path: string | undefined;
  /** Units still failing as on an earlier run make the exit 1 as new failures do. */
  readonly strict: boolean;
  /** The summary (and warnings) only when the exit is not 0. */
  readonly quiet: boolean;
}

export interface RunConfig extends InputConfig {
  /** null: the input is a dead-letter file whose stored payloads are sent as they were. */
  readonly mapping: Mapping | null;
  readonly deadLetterPath: string;
  /** Append to the dead-letter file (a resumed run) instead of starting it anew. */
  readonly appendDeadLetter: boolean;
  /** null: a dry run (map, batch and validate; send nothing). */
  readonly delivery: DeliveryConfig | null;
  /** Print the first N request bodies as they would be sent. */
  readonly sample: number;
  /** A batch waits this long (of reading) for more units of its user. */
  readonly batchWaitMs: number;
  /**
   * Units waiting in open batches at most (measured on events: 10,000 took the interleaved bench
   * to 257 MB, 1,000 to 197 MB).
   */
  readonly maxPending: number;
  /**
   * The --state file; null: none. The run's caller opens it (the session becomes `RunDeps.state`)
   * and records the run's end in it.
   */
  readonly state: StateConfig | null;
  /** Told by the run's caller once the run has ended. */
  readonly report: ReportConfig;
  /**
   * Spill the rows to disk and send them by identity at the end of the input (spill.ts): a user's
   * events in as few requests as the limits allow, a user's profile rows merged into one update.
   */
  readonly groupByIdentity: boolean;
}

export interface RunDeps {
  /** The run's one clock: the report's times, request times, batch waits. */
  readonly now: () => number;
  /** A clock that never steps back (ms, any origin): how long the run took. */
  readonly elapsed: () => number;
  /** Aborted on Ctrl-C / SIGTERM: stop reading, let requests in flight finish. */
  readonly interrupt: AbortSignal | undefined;
  /** Aborted with an ImporterError when an output outside the run fails (the log): stop for it. */
  readonly outputFailure: AbortSignal | undefined;
  /** For the input `-`; undefined: process.stdin. */
  readonly stdin: NodeJS.ReadableStream | undefined;
  /** The state file's view for this run (diff, known events, resume); NO_STATE without --state. */
  readonly state: RunState;
  /** Counts an interrupted pass of this run left (a resumed run starts from them). */
  readonly carried: CarriedCounts;
  /** Told of the first `sample` request bodies. */
  readonly onSample: (body: object) => void;
  /** Told when the run starts a pause for the rate limit longer than NOTICE_AFTER_MS. */
  readonly onWait: (wait: RateWait) => void;
  /** Told of each request the breaker's diagnosis sends. */
  readonly onProbe: ProbeLog;
  /** Replaces the HTTP client (benchmarks of the importer's own cost); undefined: the client. */
  readonly sender: Sender | undefined;
}

export const DEFAULT_DELIVERY = {
  rate: { count: 10_000, windowMs: 60_000 },
  concurrency: 32,
  maxAttempts: 6,
  maxWaitMs: 600_000,
  breaker: DEFAULT_BREAKER,
  canary: 0,
} as const satisfies Partial<DeliveryConfig>;

export const DEFAULT_RUN = {
  encoding: undefined,
  delimiter: undefined,
  sheet: undefined,
  appendDeadLetter: false,
  delivery: null,
  sample: 0,
  batchWaitMs: 1_000,
  maxPending: 1_000,
  state: null,
  report: { path: undefined, strict: false, quiet: false },
  groupByIdentity: false,
} as const satisfies Partial<RunConfig>;

const NOTHING_CARRIED: CarriedCounts = { accepted: 0, deadLettered: 0, unchanged: 0, filtered: 0 };

export const DEFAULT_DEPS: RunDeps = {
  now: Date.now,
  elapsed: () => performance.now(),
  interrupt: undefined,
  outputFailure: undefined,
  stdin: undefined,
  state: NO_STATE,
  carried: NOTHING_CARRIED,
  onSample: () => {},
  onWait: () => {},
  onProbe: () => {},
  sender: undefined,
};

type Given<T, Required extends keyof T> = Pick<T, Required> & Partial<Omit<T, Required>>;

/** What a library caller gives: the input, the mapping and the dead-letter file; the rest has defaults. */
export type RunInit = Given<
  Omit<RunConfig, "delivery">,
  "input" | "format" | "mapping" | "deadLetterPath"
> & {
  readonly delivery?: Given<DeliveryConfig, "endpoint" | "serviceId" | "accessToken"> | null;
};

/** The complete config of a run, every default filled. */
export function resolveRun(init: RunInit): RunConfig {
  const delivery =
    init.delivery === undefined || init.delivery === null
      ? null
      : { ...DEFAULT_DELIVERY, ...init.delivery };
  return { ...DEFAULT_RUN, ...init, inputs: init.inputs ?? oneInput(init.input), delivery };
}

export function resolveDeps(init: Partial<RunDeps> = {}): RunDeps {
  return { ...DEFAULT_DEPS, ...init };
}
