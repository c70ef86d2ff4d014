import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";

/** Who holds a state file: one running importer per file. */
export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** When the holder took the lock, ISO-8601 UTC. */
  readonly startedAt: string;
}

/** The process asking for the lock. */
export interface LockClaimant {
  readonly pid: number;
  readonly hostname: string;
  readonly now: number;
}

/** A state file is refused because another import holds it (or may hold it). */
export class StateLockedError extends ImporterError {
  override readonly name = "StateLockedError";
  constructor(
    readonly file: string,
    /** null: a process holds the lock but has not written who it is yet. */
    readonly holder: LockInfo | null,
    readonly checkable: boolean,
  ) {
    const who =
      holder === null
        ? ""
        : `: pid ${holder.pid} on host ${holder.hostname} since ${holder.startedAt}`;
    super(
      "E_USAGE",
      checkable
        ? `another import is running with this state file (${file})${who}`
        : `another import may be running with this state file (${file})${who}; ` +
            "that host cannot be checked from here. `import-profiles status --state " +
            `${file}\` shows the lock; if that import is no longer running, break the lock.`,
    );
  }
}

export type LockVerdict = "free" | "stale" | "unknown-host";

/**
 * Pure: what the lock table's row means to a process on `hostname` that holds the OS lock
 * (process-lock.ts), so no live process of this host holds the file: a row of this host was left
 * by a process that died; one of another host may be a live import there.
 */
export function judgeLock(holder: LockInfo | null, hostname: string): LockVerdict {
  if (holder === null) return "free";
  return holder.hostname === hostname ? "stale" : "unknown-host";
}

interface LockRow {
  pid: number;
  hostname: string;
  started_at: number;
}

/** The `lock` table: at most one row, saying who holds the OS lock (process-lock.ts). */
export class LockTable {
  readonly #read: Database.Statement<[], LockRow>;
  readonly #write: Database.Statement<[number, string, number]>;
  readonly #releaseMine: Database.Statement<[number, string]>;
  readonly #clear: Database.Statement<[]>;
  readonly #acquire: (me: LockClaimant) => LockInfo | null;

  constructor(
    db: Database.Database,
    readonly file: string,
  ) {
    this.#read = db.prepare("SELECT pid, hostname, started_at FROM lock WHERE id = 1");
    this.#write = db.prepare(
      "INSERT OR REPLACE INTO lock (id, pid, hostname, started_at) VALUES (1, ?, ?, ?)",
    );
    this.#releaseMine = db.prepare("DELETE FROM lock WHERE pid = ? AND hostname = ?");
    this.#clear = db.prepare("DELETE FROM lock");
    const acquire = db.transaction((me: LockClaimant) => {
      const holder = this.info();
      const verdict = judgeLock(holder, me.hostname);
      if (verdict === "unknown-host") throw new StateLockedError(this.file, holder, false);
      this.#write.run(me.pid, me.hostname, me.now);
      return verdict === "stale" ? holder : null;
    });
    // IMMEDIATE: two importers starting together are serialized; the second sees the first's row.
    this.#acquire = (me) => acquire.immediate(me);
  }

  info(): LockInfo | null {
    const row = this.#read.get();
    if (row === undefined) return null;
    return {
      pid: row.pid,
      hostname: row.hostname,
      startedAt: new Date(row.started_at).toISOString(),
    };
  }

  /**
   * Writes `me` as the holder, once `me` holds the OS lock; returns the row of a dead process it
   * replaced, if any. Throws StateLockedError for a row of another host.
   */
  acquire(me: LockClaimant): LockInfo | null {
    return this.#acquire(me);
  }

  /** Removes the lock if `pid` on `hostname` holds it. */
  release(pid: number, hostname: string): void {
    this.#releaseMine.run(pid, hostname);
  }

  /** Removes whatever lock there is; returns it. */
  break(): LockInfo | null {
    const holder = this.info();
    this.#clear.run();
    return holder;
  }
}
