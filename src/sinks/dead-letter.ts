import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import type { ProfileUpdate } from "../api/dfinery.js";
import { errnoOf, OutputError, type RowFailure } from "../errors.js";
import type { SourceFormat } from "../source/types.js";

/** One line of the dead-letter file: enough to see why, and to send the row again. */
export interface DeadLetterRecord {
  /** The line where the row starts in the original input. */
  readonly line: number;
  /** The original cells (CSV: column → text; NDJSON: the object), or the raw text of an unreadable row. */
  readonly row: unknown;
  /** What was (or would have been) sent; null when the row never got that far. */
  readonly payload: ProfileUpdate | null;
  readonly error: RowFailure;
  readonly attempts: number;
  /** When the row failed, ISO-8601 UTC. */
  readonly at: string;
  /** The format of `row`, so a replay maps it as the original run did. */
  readonly format: SourceFormat;
}

/**
 * Append-only NDJSON file of rows that were not delivered. Created on the first failure with mode
 * 0600 (it holds personal data). Each record is written with one synchronous write, so a kill -9
 * leaves every record that was reported whole, and nothing is held back in memory.
 */
export class DeadLetterFile {
  #fd: number | undefined;
  #count = 0;
  #closed = false;

  /** `append`: add to the file an interrupted pass of the same run left, instead of starting anew. */
  constructor(
    readonly path: string,
    readonly append = false,
  ) {}

  /**
   * Called before any row is read: fails early when the file could not be written, and (unless
   * appending) removes a file an earlier run left at this path, so that the file always holds this
   * run's rows only, even if the run is killed before its first failure and resumed later.
   */
  open(): void {
    try {
      accessSync(dirname(this.path), constants.W_OK);
      if (statSync(this.path, { throwIfNoEntry: false })?.isDirectory() === true) {
        throw new OutputError(this.path, "is a folder; --dead-letter needs a file name");
      }
      if (!this.append) rmSync(this.path, { force: true });
    } catch (error) {
      if (error instanceof OutputError) throw error;
      throw new OutputError(
        this.path,
        `cannot write the dead-letter file here (${errnoOf(error)})`,
        {
          cause: error,
        },
      );
    }
  }

  /** Writes one record. Throws OutputError when the file cannot be written (or is closed). */
  write(record: DeadLetterRecord): void {
    if (this.#closed) throw new OutputError(this.path, "written after it was closed (a bug)");
    try {
      if (this.#fd === undefined) {
        this.#fd = openSync(this.path, "a", 0o600);
        fchmodSync(this.#fd, 0o600); // an existing file keeps its old mode through open()
      }
      writeSync(this.#fd, `${JSON.stringify(record)}\n`);
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
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
