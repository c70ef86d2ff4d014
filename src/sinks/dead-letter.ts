import { accessSync, closeSync, constants, fsyncSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { Identity, ProfileUpdate } from "../api/dfinery.js";
import type { EventsRequestBody } from "../api/events.js";
import { type CellError, errnoOf, OutputError, type RowFailure } from "../errors.js";
import type { SourceFormat } from "../source/types.js";
import { canStringify, stringifyExactly } from "../util/exact-number.js";
import {
  appendWhole,
  checkOutputPath,
  DEAD_LETTER_FORMAT,
  FS_WRITE,
  moveCutLastLine,
  openAppend,
  type WriteIo,
} from "./own-file.js";

/** One line of the dead-letter file: enough to see why, and to send the row again. */
export interface DeadLetterRecord {
  /** The file the row was read from, when the run read several (a folder, a glob, several names). */
  readonly file?: string;
  /** The line where the row starts in the original input (its file). */
  readonly line: number;
  /** The original cells (CSV: column → text; NDJSON: the object), or the raw text of an unreadable row. */
  readonly row: unknown;
  /**
   * What was (or would have been) sent, without its request time; null when the row never got
   * that far. Identities and deletes: the identity.
   */
  readonly payload: ProfileUpdate | EventsRequestBody | { readonly identity: Identity } | null;
  /** Why, as one failure: the first problem's code and field, every problem in the message. */
  readonly error: RowFailure;
  /** Mapping failures: every cell that failed, with its column and value. */
  readonly errors?: readonly CellError[];
  readonly attempts: number;
  /** When the row failed, ISO-8601 UTC. */
  readonly at: string;
  /** The format of `row`, so a replay maps it as the original run did. */
  readonly format: SourceFormat;
  /**
   * Events: the n-th identical event of the input (n ≥ 2; absent for the first), whose id is made
   * from its content and n. A replay gives it the same n, so it never takes the first's id.
   */
  readonly occurrence?: number;
  /**
   * Set when the row (or payload, or a failing cell's value) could not be written as JSON (nested
   * too deeply): why.
   */
  readonly unwritable?: string;
  /**
   * The command whose run wrote it, where the payload alone does not tell (identities and deletes
   * both store an identity): a replay without --map refuses another command's records.
   */
  readonly command?: string;
}

/**
 * The record of a row that failed: `error` is the first problem (as always), `errors` every cell
 * that failed.
 */
export function deadLetterRecord(
  source: {
    readonly line: number;
    readonly file?: string | undefined;
    readonly row: unknown;
    readonly format: SourceFormat;
    readonly occurrence?: number;
  },
  payload: DeadLetterRecord["payload"],
  failure: RowFailure,
  attempts: number,
  at: number,
  command?: string,
): DeadLetterRecord {
  const { errors, ...error } = failure;
  return {
    ...(source.file === undefined ? {} : { file: source.file }),
    line: source.line,
    row: source.row,
    payload,
    error,
    ...(errors === undefined ? {} : { errors }),
    attempts,
    at: new Date(at).toISOString(),
    format: source.format,
    ...(source.occurrence === undefined ? {} : { occurrence: source.occurrence }),
    ...(command === undefined ? {} : { command }),
  };
}

/**
 * Append-only NDJSON file of rows that were not delivered, mode 0600 (it holds personal data),
 * never written through a symbolic link. Each record is written whole with synchronous writes, or
 * not at all (a failed write is cut back), so a kill -9 leaves every record that was reported whole.
 */
export class DeadLetterFile {
  #fd: number | undefined;
  #count = 0;
  #started = false;
  #closed = false;

  /**
   * `append`: add to the file an interrupted pass of the same run left, instead of starting anew.
   * `io`: the writes, replaced in tests to inject a full disk. `redact`: removes secrets (an API
   * message may echo the token) from each record's text.
   */
  constructor(
    readonly path: string,
    readonly append = false,
    readonly io: WriteIo = FS_WRITE,
    readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Called before any row is read: fails early when the file could not be written. Touches nothing. */
  open(): void {
    checkOutputPath(this.path, "the dead-letter file", DEAD_LETTER_FORMAT);
    try {
      accessSync(dirname(this.path), constants.W_OK);
    } catch (error) {
      throw new OutputError(
        this.path,
        `cannot write the dead-letter file here (${errnoOf(error)})`,
        { cause: error },
      );
    }
  }

  /**
   * Called once the run has read its first row (or reached the end of an empty input): a new run
   * removes the file an earlier run left, so that it holds this run's rows only; a resumed run
   * moves a record cut short by a crash to `<file>.damaged`, so the next record starts a line.
   * Until then the earlier file stays untouched (a run that fails before reading keeps it).
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    checkOutputPath(this.path, "the dead-letter file", DEAD_LETTER_FORMAT); // again: a link may have been put there since
    try {
      if (this.append) moveCutLastLine(this.path);
      else rmSync(this.path, { force: true });
    } catch (error) {
      throw new OutputError(this.path, `cannot prepare the dead-letter file (${errnoOf(error)})`, {
        cause: error,
      });
    }
  }

  /**
   * The record with secrets redacted from what the importer and the API wrote (the error and its
   * messages), never from `row` and `payload`: those are the user's data, replayed as they are, and
   * a password that also occurs in a cell must not change the value a replay sends.
   */
  #redacted(record: DeadLetterRecord): DeadLetterRecord {
    const { row: _row, payload: _payload, ...ours } = record;
    const text = JSON.stringify(ours);
    const redacted = this.redact(text);
    if (redacted === text) return record;
    return { ...record, ...(JSON.parse(redacted) as typeof ours) };
  }

  /**
   * One record as a JSON line, redacted. A record nested too deeply for JSON (the row, or a
   * failing cell's value, which is a part of it) keeps what can be written (writablePart).
   */
  #serialise(record: DeadLetterRecord): string {
    try {
      return `${stringifyExactly(this.#redacted(record))}\n`; // a 64-bit id as the file wrote it
    } catch (error) {
      return `${stringifyExactly(this.#redacted(writablePart(record, error)))}\n`;
    }
  }

  /** Writes one record whole. Throws OutputError when it cannot (the file then holds no part of it). */
  write(record: DeadLetterRecord): void {
    if (this.#closed) throw new OutputError(this.path, "written after it was closed (a bug)");
    this.start();
    const text = this.#serialise(record);
    try {
      this.#fd ??= openAppend(this.path);
      appendWhole(this.#fd, text, this.io);
    } catch (error) {
      throw new OutputError(this.path, `cannot write the dead-letter file (${errnoOf(error)})`, {
        cause: error,
      });
    }
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** Flushes to disk and closes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd === undefined) return;
    try {
      fsyncSync(this.#fd);
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}

/**
 * What can be kept of a record JSON cannot write (a row nested too deeply for JSON.stringify):
 * everything but the row, the payload and each failing cell's value when they can be written, and
 * why the rest is missing.
 */
function writablePart(record: DeadLetterRecord, error: unknown): DeadLetterRecord {
  const why = `${(error as Error).name}: ${(error as Error).message}`;
  const errors = record.errors?.map((cell) =>
    canStringify(cell.value) ? cell : { ...cell, value: null },
  );
  const dropped = errors?.some((cell, i) => cell !== record.errors?.[i]) === true;
  return {
    ...record,
    row: null,
    payload: canStringify(record.payload) ? record.payload : null,
    ...(errors === undefined ? {} : { errors }),
    unwritable: `the row${dropped ? " (and a failing cell's value)" : ""} could not be written as JSON (${why})`,
  };
}
