import type Database from "better-sqlite3";

/** A file of a run of several, as the state file remembers it once a run has finished it. */
export interface FinishedFile {
  /** Its absolute path. */
  readonly path: string;
  /** `fingerprintInput(path)` when the run read it: its size and a hash of its ends. */
  readonly fingerprint: string;
}

/**
 * The files of runs of several inputs (a folder, a glob) that a run finished: read to the end,
 * every row accepted or unchanged, none dead-lettered, under a mapping (its fingerprint). The next
 * run over the same folder skips a file finished unchanged under the same mapping, instead of
 * reading it again (its rows would all be unchanged).
 */
export class FileTable {
  readonly #get: Database.Statement<[string], { fingerprint: string; mapping: string }>;
  readonly #put: Database.Statement<[string, string, string, number, number]>;
  readonly #forget: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.#get = db.prepare<[string], { fingerprint: string; mapping: string }>(
      "SELECT fingerprint, mapping_fingerprint AS mapping FROM files WHERE path = ?",
    );
    this.#put = db.prepare(
      `INSERT INTO files (path, fingerprint, mapping_fingerprint, run_id, finished_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint,
         mapping_fingerprint = excluded.mapping_fingerprint, run_id = excluded.run_id,
         finished_at = excluded.finished_at`,
    );
    this.#forget = db.prepare("DELETE FROM files WHERE path = ?");
  }

  /** Whether a run finished this file, as it is now, under this mapping. */
  finished(file: FinishedFile, mapping: string): boolean {
    const row = this.#get.get(file.path);
    return row !== undefined && row.fingerprint === file.fingerprint && row.mapping === mapping;
  }

  put(file: FinishedFile, mapping: string, runId: number, at: number): void {
    this.#put.run(file.path, file.fingerprint, mapping, runId, at);
  }

  /** A file read again and not finished (a row dead-lettered): read again next time. */
  forget(path: string): void {
    this.#forget.run(path);
  }
}
