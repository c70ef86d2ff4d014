/**
 * The thread of early-rows.ts: reads a state file's known rows (known-rows.ts) as the process
 * starts, on a read-only connection of its own, then answers once whether they are still the
 * file's. Started by the bins before their other modules load; it ends after its one answer.
 */
import { statSync } from "node:fs";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import {
  ANSWERED,
  type EarlyAnswer,
  type EarlyAsk,
  type EarlyRowsData,
  READ,
} from "./early-rows.js";
import { KnownRows } from "./known-rows.js";
import { SCHEMA_VERSION } from "./schema.js";

if (parentPort === null) throw new Error("early-rows-worker.ts runs as a worker thread");
const { path, limit, flag, port } = workerData as EarlyRowsData & { port: MessagePort };
const done = new Int32Array(flag);

interface Read {
  readonly db: Database.Database;
  /** The file read (its device and inode): the run's must be the same. */
  readonly file: string;
  /** `PRAGMA data_version` before and after the scan, which were equal. */
  readonly version: number;
  readonly rows: KnownRows | undefined;
}

/**
 * The known rows, read in one statement between two equal `data_version`s (no other connection
 * committed in between, so the scan read the file as it was then); undefined when the file is
 * missing, not of this version's schema, changed meanwhile or cannot be read: the run then reads
 * them itself, as it would have.
 */
function read(): Read | undefined {
  let db: Database.Database | undefined;
  try {
    const file = identity(path);
    db = new Database(path, { readonly: true, fileMustExist: true });
    if (db.pragma("user_version", { simple: true }) !== SCHEMA_VERSION) throw new Error("schema");
    const version = db.pragma("data_version", { simple: true }) as number;
    const rows = KnownRows.load(db, limit);
    if (db.pragma("data_version", { simple: true }) !== version) throw new Error("changed");
    if (identity(path) !== file) throw new Error("replaced");
    return { db, file, version, rows };
  } catch {
    db?.close();
    return undefined;
  }
}

function identity(file: string): string {
  const stat = statSync(file, { bigint: true });
  return `${stat.dev}:${stat.ino}`;
}

const early = read();
Atomics.store(done, 0, READ);
Atomics.notify(done, 0);

port.once("message", (ask: EarlyAsk) => {
  let answer: EarlyAnswer = { taken: false };
  try {
    if (
      early !== undefined &&
      ask.limit === limit &&
      identity(ask.path) === early.file &&
      early.db.pragma("data_version", { simple: true }) === early.version
    ) {
      answer = { taken: true, slots: early.rows?.shared() };
    }
  } catch {
    // Not answerable (the file gone, a read failing): not taken, the run reads the rows itself.
  }
  early?.db.close();
  port.postMessage(answer);
  Atomics.store(done, 0, ANSWERED);
  Atomics.notify(done, 0);
  port.close();
});
