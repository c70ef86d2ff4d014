import { closeSync, constants, lstatSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { errnoOf, ImporterError } from "../errors.js";

/**
 * How long a claimant waits for the lock before it is taken as held: long enough to ride over a
 * `status` looking at it (an instant), short enough to refuse a second import at once.
 */
const WAIT_MS = 1000;

/**
 * The lock a running import holds on its state file, kept by the operating system: an exclusive
 * SQLite transaction, held open, on an empty file beside the state file (`FILE-lock`). The OS
 * (fcntl) keeps it for this process and drops it when the process dies, however it dies (kill -9,
 * a reboot) and whatever the clocks say; SQLite keeps two connections of one process apart too.
 * Who holds it is written in the state file's lock table, for messages and `status`.
 *
 * The file stays after a run: removed, a process still waiting on the old file could lock it
 * while another locks a new one at the same path.
 */
export class ProcessLock {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /** The lock file of a state file. */
  static pathOf(statePath: string): string {
    return `${statePath}-lock`;
  }

  /** Takes the lock; undefined while another process (or another store of this one) holds it. */
  static take(statePath: string): ProcessLock | undefined {
    const db = openLockFile(statePath, false);
    try {
      db.pragma("journal_mode = MEMORY"); // nothing is written: no -journal file beside it
      db.exec("BEGIN EXCLUSIVE");
      return new ProcessLock(db);
    } catch (error) {
      db.close();
      if (isBusy(error)) return undefined;
      throw error;
    }
  }

  /** Whether a live process holds the lock now (looked at by reading the file for an instant). */
  static isHeld(statePath: string): boolean {
    if (lstatSync(ProcessLock.pathOf(statePath), { throwIfNoEntry: false }) === undefined) {
      return false;
    }
    const db = openLockFile(statePath, true);
    try {
      db.prepare("SELECT count(*) FROM sqlite_schema").get();
      return false;
    } catch (error) {
      if (isBusy(error)) return true;
      throw error;
    } finally {
      db.close();
    }
  }

  /** Lets go of the lock (the process's death does the same). */
  release(): void {
    if (this.#db.open) this.#db.close();
  }
}

/** Opens the lock file, creating it empty with mode 0600; never through a link, never a file with content. */
function openLockFile(statePath: string, readonly: boolean): Database.Database {
  const path = ProcessLock.pathOf(statePath);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined && !readonly) {
    try {
      const flags =
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      closeSync(openSync(path, flags, 0o600));
    } catch (error) {
      if (errnoOf(error) !== "EEXIST") throw refused(path, `cannot be created (${errnoOf(error)})`);
    }
  } else if (stat !== undefined && (!stat.isFile() || stat.size > 0)) {
    throw refused(path, "is not an empty file: it is not the lock file of this state file");
  }
  try {
    return new Database(path, { readonly, fileMustExist: true, timeout: WAIT_MS });
  } catch (error) {
    throw refused(path, `cannot be opened (${(error as Error).message})`);
  }
}

function refused(path: string, why: string): ImporterError {
  return new ImporterError("E_USAGE", `the lock file ${path} of the state file ${why}`);
}

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown }).code === "SQLITE_BUSY";
}
