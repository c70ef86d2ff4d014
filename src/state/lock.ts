import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";

/** Who holds a state file: one running importer per file. */
export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** When the holder took the lock, ISO-8601 UTC. */
  readonly startedAt: string;
}

/** The process asking for the lock, and how it judges a holder. */
export interface LockClaimant {
  readonly pid: number;
  readonly hostname: string;
  readonly now: number;
  /** When this host last booted, epoch ms: a lock taken before it died with the machine. */
  readonly bootTime: number;
  readonly isAlive: (pid: number) => boolean;
}

/** A state file is refused because another import holds it (or may hold it). */
export class StateLockedError extends ImporterError {
  override readonly name = "StateLockedError";
  constructor(
    readonly file: string,
    readonly holder: LockInfo,
    readonly checkable: boolean,
  ) {
    const who = `pid ${holder.pid} on host ${holder.hostname} since ${holder.startedAt}`;
    super(
      "E_USAGE",
      checkable
        ? `another import is running with this state file (${file}): ${who}`
        : `another import may be running with this state file (${file}): ${who}; ` +
            "that host cannot be checked from here. `import-profiles status --state " +
            `${file}\` shows the lock; if that import is no longer running, break the lock.`,
    );
  }
}

/** A lock clock skew cannot fake: a lock taken this long before the boot is surely stale. */
const BOOT_MARGIN_MS = 60_000;

export type LockVerdict = "free" | "stale" | "held" | "unknown-host";

/** Pure: may `me` take a lock that `holder` has? */
export function judgeLock(holder: LockInfo | undefined, me: LockClaimant): LockVerdict {
  if (holder === undefined) return "free";
  if (holder.hostname !== me.hostname) return "unknown-host";
  // Our own pid: the holder is this process, or a dead one whose pid we got after a reboot.
  if (holder.pid === me.pid) return "stale";
  if (Date.parse(holder.startedAt) < me.bootTime - BOOT_MARGIN_MS) return "stale";
  return me.isAlive(holder.pid) ? "held" : "stale";
}

/** `process.kill(pid, 0)`: no error or EPERM (exists, not ours) means alive. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface LockRow {
  pid: number;
  hostname: string;
  started_at: number;
}

/** The `lock` table: at most one row. */
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
      const verdict = judgeLock(holder ?? undefined, me);
      if (holder !== null && (verdict === "held" || verdict === "unknown-host")) {
        throw new StateLockedError(this.file, holder, verdict === "held");
      }
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

  /** Takes the lock; returns the stale lock it replaced, if any. Throws StateLockedError. */
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
