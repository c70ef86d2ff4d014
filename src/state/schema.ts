import { closeSync, constants, lstatSync, openSync, readSync } from "node:fs";
import Database from "better-sqlite3";
import { errnoOf, ImporterError } from "../errors.js";

/** The schema this version writes. A file with a higher `user_version` is refused. */
export const SCHEMA_VERSION = 10;
/** `PRAGMA application_id`: marks the file as an import-profiles state file ("DFIP"). */
export const APPLICATION_ID = 0x44464950;

/** Migration n (0-based) takes a file from user_version n to n + 1. Never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE identities (
     key TEXT PRIMARY KEY,
     hash TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE lock (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     pid INTEGER NOT NULL,
     hostname TEXT NOT NULL,
     started_at INTEGER NOT NULL
   );
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     input TEXT NOT NULL,
     input_fingerprint TEXT,
     mapping_fingerprint TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     finished_at INTEGER,
     status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'finished', 'abandoned')),
     resumes INTEGER NOT NULL DEFAULT 0,
     watermark INTEGER NOT NULL DEFAULT 0,
     row_count INTEGER NOT NULL DEFAULT 0,
     accepted INTEGER NOT NULL DEFAULT 0,
     dead_lettered INTEGER NOT NULL DEFAULT 0,
     unchanged INTEGER NOT NULL DEFAULT 0,
     exit_code INTEGER,
     report TEXT
   );
   CREATE TABLE done_lines (
     run_id INTEGER NOT NULL,
     line INTEGER NOT NULL,
     PRIMARY KEY (run_id, line)
   ) WITHOUT ROWID;`,
  // 2: rows that failed for good, by content hash, to tell "still failing" from new failures.
  `CREATE TABLE failures (
     key TEXT PRIMARY KEY,
     error TEXT NOT NULL,
     run_id INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // 3: the check of the state key the hashes are keyed with (files of versions 1 and 2 have unkeyed hashes).
  `CREATE TABLE meta (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // 4: import-events: the events DFINERY accepted, by their id keyed with the state key.
  `CREATE TABLE events (
     key TEXT PRIMARY KEY
   ) WITHOUT ROWID;`,
  // 5: rows the mapping's `where` left out, counted like the other outcomes (a resumed run carries them).
  "ALTER TABLE runs ADD COLUMN filtered INTEGER NOT NULL DEFAULT 0;",
  // 6: the files of runs of several inputs that a run finished (files.ts), skipped when unchanged.
  `CREATE TABLE files (
     path TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     mapping_fingerprint TEXT NOT NULL,
     run_id INTEGER NOT NULL,
     finished_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // 7: when each event was accepted (epoch ms), which --keep-events forgets by; the events
  // already known count as accepted now, so none is forgotten sooner than the window.
  `ALTER TABLE events ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
   UPDATE events SET accepted = CAST(strftime('%s', 'now') AS INTEGER) * 1000;`,
  // 8: the key of a row as read known to map to each identity's stored hash (row-key.ts), and
  // its index: a nightly run knows an unchanged row before mapping it. Existing identities have
  // none: their rows are mapped and diffed as before, and noted as they are found unchanged.
  `ALTER TABLE identities ADD COLUMN raw TEXT;
   CREATE INDEX identities_raw ON identities (raw) WHERE raw IS NOT NULL;`,
  // 9: which rows a pass has done above its watermark, as the last line read and the lines up
  // to it not done (in flight): a few numbers a commit instead of a done_lines row for every row
  // completed since the last (progress.ts). done_lines is still read: a run of schema 8 left
  // there what it had done, and a resume reads it as before.
  `ALTER TABLE runs ADD COLUMN read_to INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE runs ADD COLUMN open_lines TEXT NOT NULL DEFAULT '[]';`,
  // 10: an identity's row key written in its own row, not the `raw` index (identities.ts): a
  // changed row dirtied its identity's leaf and two of the index's, its old key's and its new
  // one's. When set, `row_key` is the identity's row key ('' for none) and `raw` is stale.
  "ALTER TABLE identities ADD COLUMN row_key TEXT;",
];

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/**
 * Opens (creating when missing) a state file: mode 0600 before SQLite writes a byte, WAL, and the
 * schema migrated to SCHEMA_VERSION. Anything that is not our state file is refused with E_USAGE.
 */
export function openStateDatabase(path: string): Database.Database {
  createPrivate(path);
  checkHeader(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw usage(path, `cannot be opened: ${(error as Error).message}`, error);
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    // NORMAL is enough: in WAL mode a commit is durable across a process crash or kill -9 (the
    // WAL is in the OS page cache); a power cut may lose the last commits but never corrupts the
    // file. A lost commit only means the rows it recorded are sent again, and re-sending a
    // profile update is harmless. FULL would fsync on every commit, ~200 times a second: cheap on
    // an SSD (~0.1 ms), but 5-20 ms each on a spinning or network disk, blocking the event loop.
    db.pragma("synchronous = NORMAL");
    // A checkpoint (every 1,000 pages of WAL by default) is where NORMAL does fsync. import-events
    // commits tens of thousands of event keys a second: checkpointing every 10,000 pages (40 MB
    // of WAL at most, emptied on close) halved the cost of a commit of 10 keys (64 -> 32 us, same
    // process, loaded machine). Crash safety is the same.
    db.pragma("wal_autocheckpoint = 10000");
    migrate(db, path);
  } catch (error) {
    db.close();
    if (error instanceof ImporterError) throw error;
    throw usage(path, `is not a usable state file: ${(error as Error).message}`, error);
  }
  return db; // SQLite gives its -wal and -shm files the mode of the state file
}

/**
 * Creates a missing state file with mode 0600. An existing one is never followed through a link
 * and never has its mode changed: it is not ours until its header says so.
 */
function createPrivate(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink() === true) {
    throw usage(path, "is a symbolic link: give the path of the state file itself");
  }
  if (stat !== undefined && !stat.isFile()) throw usage(path, "is not a regular file");
  if (stat !== undefined) return;
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    closeSync(openSync(path, flags, 0o600));
  } catch (error) {
    const code = errnoOf(error);
    throw usage(path, `cannot be created or opened (${code})`, error);
  }
}

function checkHeader(path: string): void {
  const fd = openSync(path, "r");
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const read = readSync(fd, header, 0, header.length, 0);
  closeSync(fd);
  if (read === 0) return; // just created
  if (read < header.length || !header.equals(SQLITE_HEADER)) {
    throw usage(path, "is not a state file (not an SQLite database)");
  }
}

/** Brings the file to SCHEMA_VERSION in one transaction; refuses newer and foreign files. */
export function migrate(db: Database.Database, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  const appId = db.pragma("application_id", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw usage(
      path,
      `was written by a newer import-profiles (state schema ${version}; this version reads up to ${SCHEMA_VERSION})`,
    );
  }
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() as number;
  if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
    throw usage(path, "is an SQLite database but not an import-profiles state file");
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    // Read again under the write lock: another process may have migrated since.
    const from = db.pragma("user_version", { simple: true }) as number;
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? "");
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function usage(path: string, message: string, cause?: unknown): ImporterError {
  return new ImporterError("E_USAGE", `state file ${path} ${message}`, { cause });
}
