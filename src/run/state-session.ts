import { resolve } from "node:path";
import type { Logger } from "pino";
import type { Mapping } from "../mapping/types.js";
import type { Report } from "../sinks/report.js";
import {
  combinedFingerprint,
  dismissEarlyRows,
  fingerprintInput,
  fingerprintMapping,
  type KeyBinding,
  loadStateKey,
  RowKeys,
  type StateCommand,
  StateStore,
  stateFileError,
  takeEarlyRows,
} from "../state/index.js";
import type { CarriedCounts, StateConfig } from "./config.js";
import { doneByPass, FileBook } from "./file-book.js";
import { StateLink } from "./state-link.js";

/** A state file's session: the --state settings, and the run they are for. */
export interface StateSessionOptions extends StateConfig {
  /** The command whose run this is: a state file belongs to one (state/owner.ts). */
  readonly command: StateCommand;
  readonly input: string;
  /** The files it names, in the order the run reads them: what a resume checks unchanged. */
  readonly files: readonly string[];
  /** Several inputs (a folder, a glob): files finished unchanged are skipped (file-book.ts). */
  readonly many?: boolean;
  /** null: a replay of stored payloads. */
  readonly mapping: Mapping | null;
  readonly dryRun: boolean;
  /** The CSV/TSV delimiter the files are read with (input.ts `csvDelimiter`): rows are keyed with it. */
  readonly delimiter: string;
}

/** A run's hold on its state file: the lock, the run record, and the link the run asks. */
export interface StateSession {
  readonly link: StateLink;
  readonly carried: CarriedCounts;
  readonly resumed: boolean;
  /** What the user should hear of (a state file whose old unkeyed hashes were dropped). */
  readonly notices: readonly string[];
  /**
   * Records how the run ended, forgets the old events (--keep-events), releases the lock and
   * closes the file. Resolves false when `stop` (a signal) ended the forgetting before it was
   * done: the run is recorded finished, and the next run that forgets forgets the rest.
   */
  end(report: Report, exitCode: number, stop?: AbortSignal): Promise<boolean>;
  /** Closes without recording an end (a forced exit): the run stays resumable. */
  close(): void;
}

const NOTHING: CarriedCounts = { accepted: 0, deadLettered: 0, unchanged: 0, filtered: 0 };

/**
 * Opens the state file for a run. A dry run only reads the hashes, to count unchanged rows: it
 * takes no lock and records no run. Throws ImporterError E_USAGE for a held lock or a refused resume.
 */
export async function openStateSession(
  options: StateSessionOptions,
  logger: Logger,
): Promise<StateSession> {
  try {
    return await openSession(options, logger);
  } catch (error) {
    throw stateFileError(options.path, error, "E_USAGE");
  }
}

async function openSession(options: StateSessionOptions, logger: Logger): Promise<StateSession> {
  // The known rows read as the process started, taken under the lock if still the file's.
  const store = StateStore.open(options.path, {
    earlyRows: (limit) => takeEarlyRows(options.path, limit),
  });
  let key: Buffer;
  let notices: string[];
  try {
    store.claimFor(options.command, options.dryRun); // before a key file is created for it
    const loaded = loadStateKey(options.keyPath);
    key = loaded.key;
    if (loaded.created) logger.info({ stateKey: options.keyPath }, "created the state key");
    const binding = store.bindKey(key, { rekey: options.full, readOnly: options.dryRun });
    notices = bindingNotices(binding, options.path);
    for (const notice of notices) logger.warn({ state: options.path }, notice);
  } catch (error) {
    dismissEarlyRows();
    closeQuietly(store);
    throw error;
  }
  const prints: (string | null)[] = [];
  for (const file of options.files) prints.push(await fingerprintInput(file));
  const mappingFingerprint = fingerprintMapping(options.mapping ?? { replay: "stored payloads" });
  const book = (done: readonly number[]) =>
    fileBook(store, options, prints, mappingFingerprint, done);
  // Rows as read are keyed under the mapping that maps them (a replay of stored payloads: none).
  const rows =
    options.mapping === null
      ? undefined
      : new RowKeys(key, {
          command: options.command,
          mapping: mappingFingerprint,
          delimiter: options.delimiter,
        });
  if (options.dryRun) {
    dismissEarlyRows(); // it takes no lock: reads its known rows itself, when asked
    return {
      link: new StateLink(store, null, options.full, key, book([]), rows),
      carried: NOTHING,
      resumed: false,
      notices,
      end: async () => {
        store.close();
        return true;
      },
      close: () => store.close(),
    };
  }
  try {
    const takenOver = store.acquireLock();
    if (takenOver !== null) {
      logger.warn({ lock: takenOver }, "took over the lock of an import that is no longer running");
    }
    const handle = store.beginRun({
      input: options.input,
      inputFingerprint: combinedFingerprint(options.files, prints),
      mappingFingerprint,
      mode: options.resume && !options.full ? "resume" : "new",
    });
    if (handle.abandonedRunIds.length > 0) {
      logger.warn(
        { runs: handle.abandonedRunIds },
        "started over: an unfinished run will not be resumed",
      );
    }
    if (handle.resumed) logger.info({ run: handle.runId, carried: handle.carried }, "resuming run");
    const { accepted, deadLettered, unchanged, filtered } = handle.carried;
    const done = handle.resumed ? doneByPass(options.files.length, handle.priorWatermark) : [];
    const files = book(done);
    return {
      link: new StateLink(store, handle, options.full, key, files, rows),
      carried: { accepted, deadLettered, unchanged, filtered },
      resumed: handle.resumed,
      notices,
      async end(report, exitCode, stop) {
        const end = { report, exitCode };
        try {
          let whole = true;
          if (report.stoppedBy === null) {
            if (files !== undefined)
              store.recordFiles(handle.runId, files.outcome(), mappingFingerprint);
            store.finishRun(handle.runId, end);
            whole = await forgetOldEvents(store, report, options.keepEventsMs, logger, stop);
          } else {
            store.suspendRun(handle.runId, end);
          }
          store.close();
          return whole;
        } catch (error) {
          closeQuietly(store);
          throw stateFileError(options.path, error, "E_OUTPUT");
        }
      },
      close: () => closeQuietly(store),
    };
  } catch (error) {
    closeQuietly(store);
    throw error;
  }
}

/**
 * A run of several files: the book of which it skips (finished unchanged under this mapping by an
 * earlier run, unless --full; `done` by the interrupted pass it resumes) and which it finishes.
 */
function fileBook(
  store: StateStore,
  options: StateSessionOptions,
  prints: readonly (string | null)[],
  mappingFingerprint: string,
  done: readonly number[],
): FileBook | undefined {
  if (options.many !== true) return undefined;
  const files = options.files.map((path, i) => ({
    path: resolve(path),
    fingerprint: prints[i] ?? "",
  }));
  const skipped = new Set(done);
  if (!options.full) {
    for (const [index, file] of files.entries()) {
      if (store.finishedFile(file, mappingFingerprint)) skipped.add(index);
    }
  }
  return new FileBook(files, skipped);
}

/**
 * `--keep-events`: the events accepted longer than the window before the run's start are
 * forgotten, in steps that let a signal in; false when `stop` ended it before the end.
 */
async function forgetOldEvents(
  store: StateStore,
  report: Report,
  keepMs: number | undefined,
  logger: Logger,
  stop: AbortSignal | undefined,
): Promise<boolean> {
  if (keepMs === undefined) return true;
  const before = Date.parse(report.startedAt) - keepMs;
  const at = { before: new Date(before).toISOString() };
  logger.info(at, "forgetting the events accepted longer ago than --keep-events");
  const { forgotten, finished } = await store.forgetEventsAcceptedBefore(before, stop);
  if (finished)
    logger.info({ forgotten, ...at }, "forgot the events accepted longer ago than --keep-events");
  else
    logger.warn(
      { forgotten, ...at },
      "stopped forgetting old events: the next run with --keep-events forgets the rest",
    );
  return finished;
}

/**
 * Closes after a failure of the file itself: what cannot be written now was not committed, and a
 * resumed run sends those rows again.
 */
function closeQuietly(store: StateStore): void {
  try {
    store.close();
  } catch {
    // the failure that brought us here has been reported
  }
}

function bindingNotices(binding: KeyBinding, path: string): string[] {
  if (binding === "cleared") {
    return [
      `state file ${path} held hashes not keyed with this state key (an older version, or --full with a new key): they were dropped, so this run sends every row once`,
    ];
  }
  if (binding === "unkeyed") {
    return [
      `state file ${path} holds unkeyed hashes of an older version: this dry run counts every row as changed; the next real run sends every row once and keys them`,
    ];
  }
  return [];
}
