/**
 * A run's scratch database: an SQLite file on disk for what a run must remember that could outgrow
 * memory (the group values it closed, the rows it sorts by identity). Opened on first use, so a
 * run that needs none makes none; memory is SQLite's page cache, bounded however big the file.
 *
 * It lives in `<tmpdir>/dfinery-import-<uid>/` (mode 0700; TMPDIR moves it), named after the
 * process, with SQLite's rollback journal beside it while a transaction is open (`<name>-journal`:
 * better-sqlite3's defensive mode refuses journal_mode = OFF). It is removed when the run closes
 * it, and by an exit handler on any other way out of the process (an uncaught error, a second
 * Ctrl-C). A process killed outright (kill -9, a power cut) leaves its file and journal:
 * the next run sweeps every such file whose process is gone.
 */
import { closeSync, constants, mkdirSync, openSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

const NAME = /^(\d+)-[0-9a-z]+\.sqlite(?:-journal)?$/;

/** Whether a process with this pid is running (EPERM: it is, another user's). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The folder of scratch files for this user. */
export function scratchDir(base = tmpdir()): string {
  return join(base, `dfinery-import-${process.getuid?.() ?? "user"}`);
}

export class Scratch {
  readonly #dir: string;
  readonly #isAlive: (pid: number) => boolean;
  #db: Database.Database | undefined;
  #path: string | undefined;
  readonly #onExit = () => this.close();

  /** `cacheKb`: SQLite's page cache (and its sorter's memory before it spills to disk). */
  constructor(
    readonly cacheKb = 8_000,
    dir = scratchDir(),
    isAlive: (pid: number) => boolean = processIsAlive,
  ) {
    this.#dir = dir;
    this.#isAlive = isAlive;
  }

  /** The file while open (tests). */
  get path(): string | undefined {
    return this.#path;
  }

  /** The database, created on first use. */
  db(): Database.Database {
    if (this.#db !== undefined) return this.#db;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    sweepScratch(this.#dir, this.#isAlive);
    const path = join(this.#dir, `${process.pid}-${Math.random().toString(36).slice(2)}.sqlite`);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    closeSync(openSync(path, flags, 0o600)); // private before SQLite writes a byte
    this.#path = path;
    process.on("exit", this.#onExit);
    const db = new Database(path);
    // Nothing here outlives the process: no fsync; a bounded page cache.
    db.pragma("synchronous = OFF");
    db.pragma(`cache_size = -${this.cacheKb}`);
    db.pragma("temp_store = FILE");
    this.#db = db;
    return db;
  }

  /** Closes and removes the file (idempotent). */
  close(): void {
    process.off("exit", this.#onExit);
    try {
      this.#db?.close();
    } finally {
      this.#db = undefined;
      if (this.#path !== undefined) {
        rmSync(this.#path, { force: true });
        rmSync(`${this.#path}-journal`, { force: true }); // SQLite's own, unless close() failed
      }
      this.#path = undefined;
    }
  }
}

/** Removes the scratch files (and journals) of processes that are gone (killed outright); how many. */
export function sweepScratch(dir: string, isAlive: (pid: number) => boolean): number {
  let swept = 0;
  for (const name of readdirSync(dir)) {
    const pid = NAME.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(dir, name), { force: true });
    swept++;
  }
  return swept;
}
