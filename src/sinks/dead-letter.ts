import { closeSync, fchmodSync, fsyncSync, openSync, rmSync, writeSync } from "node:fs";
import type { ProfileUpdate } from "../api/dfinery.js";
import type { RowFailure } from "../errors.js";
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

  /** `append`: add to the file an interrupted pass of the same run left, instead of starting anew. */
  constructor(
    readonly path: string,
    readonly append = false,
  ) {}

  write(record: DeadLetterRecord): void {
    if (this.#fd === undefined) {
      this.#fd = openSync(this.path, this.append ? "a" : "w", 0o600);
      fchmodSync(this.#fd, 0o600); // an existing file keeps its old mode through open()
    }
    writeSync(this.#fd, `${JSON.stringify(record)}\n`);
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /**
   * Flushes to disk and closes. When nothing failed, a file left at this path by an earlier run is
   * removed (unless appending), so the file's presence always means this run has rows to look at.
   */
  close(): void {
    if (this.#fd === undefined) {
      if (!this.append) rmSync(this.path, { force: true });
      return;
    }
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
