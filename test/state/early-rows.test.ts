/**
 * Known rows read on a thread of their own as the process starts (early-rows.ts), taken by the
 * run under the lock only while they are still the file's: any commit of any connection since
 * they were read, and the run reads them itself.
 */
import { renameSync } from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  ANSWERED,
  type EarlyAnswer,
  READ,
  startEarlyRows,
  takeEarlyRows,
} from "../../src/state/early-rows.js";
import { IdentityTable } from "../../src/state/identities.js";
import { KnownRows } from "../../src/state/known-rows.js";
import { ProcessLock } from "../../src/state/process-lock.js";
import { StateStore } from "../../src/state/store.js";
import { knownRowsFile, rawKey, request, statePath } from "./helpers.js";

const WORKER = new URL("../../dist/src/state/early-rows-worker.js", import.meta.url);

/** A state file of `n` identities, each with a row known as read, closed; its keys → identities. */
function stateFile(n: number): { path: string; known: Map<string, string> } {
  const { path, db, known } = knownRowsFile(n);
  db.close();
  return { path, known };
}

/** The slots of an answer that took the rows (fails the test for one that did not). */
function slotsOf(answer: EarlyAnswer): KnownRows {
  if (!answer.taken || answer.slots === undefined) throw new Error("the rows were not taken");
  return KnownRows.of(answer.slots);
}

/** Blocks until the flag is at least `state` (the worker's steps are its own thread's). */
function waitFlag(flag: Int32Array, state: number): void {
  for (let seen = Atomics.load(flag, 0); seen < state; seen = Atomics.load(flag, 0)) {
    Atomics.wait(flag, 0, seen, 60_000);
  }
}

/**
 * The thread started by hand, so that the test can act between its read and its answer: `between`
 * runs once the rows are read, then the run's question is asked (of `askPath`, `askLimit`).
 */
function early(path: string, limit: number, between: () => void, askPath = path, askLimit = limit) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    workerData: { path, limit, flag: flag.buffer, port: port2 },
    transferList: [port2],
  });
  try {
    waitFlag(flag, READ);
    between();
    port1.postMessage({ path: askPath, limit: askLimit });
    waitFlag(flag, ANSWERED);
    return receiveMessageOnPort(port1)?.message as EarlyAnswer;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

describe("known rows read before the lock", () => {
  it("are taken when no connection committed since they were read", () => {
    const { path, known } = stateFile(300);
    const answer = early(path, 1_000, () => undefined);
    expect(answer.taken).toBe(true);
    const rows = slotsOf(answer);
    expect(rows.size).toBe(300);
    for (const raw of known.keys()) expect(rows.known(raw)).toBe("known");
    expect(rows.known(rawKey())).toBe("unknown");
  });

  it("are not taken after a commit of another connection, even one that changed no row", () => {
    const { path, known } = stateFile(50);
    const [raw, key] = [...known][0] as [string, string];
    const changed = early(path, 1_000, () => {
      const db = new Database(path);
      new IdentityTable(db).upsert(key, "hash-changed", null); // the row is no longer known
      db.close();
    });
    expect(changed.taken).toBe(false);
    const touched = early(path, 1_000, () => {
      const db = new Database(path);
      db.exec("INSERT INTO meta (name, value) VALUES ('other', 'x')");
      db.close();
    });
    expect(touched.taken).toBe(false);
    // Read again with nothing in between: taken, and without the row whose hash changed.
    const again = early(path, 1_000, () => undefined);
    expect(again.taken).toBe(true);
    expect(slotsOf(again).known(raw)).toBe("unknown");
  });

  it("are not taken for another file, another bound, or a file replaced since", () => {
    const { path } = stateFile(20);
    const other = stateFile(20).path;
    expect(early(path, 1_000, () => undefined, other).taken).toBe(false);
    expect(early(path, 1_000, () => undefined, path, 999).taken).toBe(false);
    expect(early(path, 1_000, () => renameSync(other, path)).taken).toBe(false);
  });

  it("say past the bound as the run would find it: taken, with no rows held", () => {
    const { path } = stateFile(20);
    const answer = early(path, 10, () => undefined);
    expect(answer).toEqual({ taken: true, slots: undefined });
  });

  it("are not read from a file that is missing or of another schema", () => {
    const missing = `${statePath()}-missing`;
    expect(early(missing, 1_000, () => undefined).taken).toBe(false);
    const { path } = stateFile(5);
    const db = new Database(path);
    db.pragma("user_version = 9");
    db.close();
    expect(early(path, 1_000, () => undefined).taken).toBe(false);
  });

  it("are held by the store that takes its lock, asked after the OS-level lock and before its row", () => {
    const { path, known } = stateFile(30);
    const steps: string[] = [];
    const otherDb = new Database(stateFile(10).path);
    const offered = KnownRows.load(otherDb, 1_000) as KnownRows;
    otherDb.close();
    const store = StateStore.open(path, {
      takeLock: (p) => {
        steps.push("os lock");
        return ProcessLock.take(p);
      },
      earlyRows: (limit) => {
        const db = new Database(path, { readonly: true });
        steps.push(
          `early rows (${limit}), lock row: ${db.prepare("SELECT count(*) FROM lock").pluck().get()}`,
        );
        db.close();
        return offered;
      },
    });
    store.acquireLock();
    expect(steps).toEqual(["os lock", "early rows (1000000), lock row: 0"]);
    // The offered rows are held: the file's own are not read.
    for (const raw of known.keys()) expect(store.knownRow(raw)).toBe("unknown");
    store.beginRun(request());
    store.close();
  });

  it("are not waited for from a thread that failed: the run reads them itself at once", async () => {
    const { path } = stateFile(5);
    // A module that fails as it loads: the thread never answers, and would be waited for 10 s.
    const failing = new URL(`data:text/javascript,${encodeURIComponent("throw new Error('x')")}`);
    const thread = startEarlyRows(path, 1_000, failing);
    expect(thread).toBeDefined();
    await new Promise((resolve) => (thread as Worker).once("exit", resolve));
    const before = process.hrtime.bigint();
    expect(takeEarlyRows(path, 1_000)).toBeNull();
    // Not the 10 s the run waits for a thread still reading: far less on any machine.
    expect(Number(process.hrtime.bigint() - before) / 1e9).toBeLessThan(5);
  });

  it("through the process's own thread: started, then taken by path", () => {
    const { path, known } = stateFile(40);
    startEarlyRows(path, 1_000);
    const rows = takeEarlyRows(path, 1_000);
    expect(rows?.size).toBe(40);
    for (const raw of known.keys()) expect(rows?.known(raw)).toBe("known");
    expect(takeEarlyRows(path, 1_000)).toBeNull(); // taken once
  });
});
