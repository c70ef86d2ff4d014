/**
 * A state file's known rows (known-rows.ts) read on a thread of their own as the process starts,
 * while the run's thread loads its modules and sets up (~0.4 s with the other core idle), instead
 * of after it (~0.4 s for a million rows, the nightly run's path: bench/README.md, tenth pass).
 *
 * The bins start it when the command line names a state file for a command that reads known rows
 * (cli/early-state.ts): a guess from the words alone, before any option is parsed. The run takes
 * the rows when it takes the file's lock (store.ts `acquireLock`), and only when they are still
 * the file's: the thread read them in one statement between two equal `PRAGMA data_version`s, and
 * the version is still the same when asked, after the run holds the OS-level lock and before it
 * writes anything. Any commit of any connection in between (another import, this run's own
 * first binding of its key or command) changes it, and the rows are not taken: the run reads them
 * itself, as it always did. Never taken (a dry run, a wrong guess), the thread holds the process
 * to nothing and ends with it.
 */
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import { KnownRows, type SharedSlots } from "./known-rows.js";

/** What the thread is started with. */
export interface EarlyRowsData {
  readonly path: string;
  readonly limit: number;
  /** One Int32: 0, then READ once the rows are read (or failed to be), then ANSWERED. */
  readonly flag: SharedArrayBuffer;
}

export const READ = 1;
export const ANSWERED = 2;

/** The run asks, once: the rows of the file at `path` (as it resolves it), read up to `limit`. */
export interface EarlyAsk {
  readonly path: string;
  readonly limit: number;
}

/**
 * The answer: not taken, or taken with the slots (undefined: past `limit`, or a key not of
 * today's shape, which KnownRows.load answers with undefined: one lookup a row).
 */
export type EarlyAnswer =
  | { readonly taken: false }
  | { readonly taken: true; readonly slots: SharedSlots | undefined };

/** How long the run waits for the thread's answer (it is reading the file): then reads itself. */
const ANSWER_MS = 10_000;

interface Early {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  /** The thread failed or ended before it was asked (it can answer nothing). */
  gone: boolean;
}

let early: Early | undefined;

/**
 * Starts reading the known rows of the state file at `path` (once a process): the thread, or
 * undefined when one was started already. `file`: the thread's module (tests: one that fails).
 */
export function startEarlyRows(
  path: string,
  limit: number,
  file: URL = workerFile(),
): Worker | undefined {
  if (early !== undefined) return undefined;
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const data: EarlyRowsData = { path, limit, flag };
  const worker = new Worker(file, {
    workerData: { ...data, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  const started: Early = { worker, port: port1, flag: new Int32Array(flag), gone: false };
  // A thread that failed (its modules not loaded, say) answers nothing: the run, not waiting for
  // it, reads the rows itself.
  const gone = () => {
    started.gone = true;
  };
  worker.on("error", gone);
  worker.on("exit", gone);
  early = started;
  return worker;
}

/**
 * The known rows read as the process started, if they are still those of the file at `path`:
 * KnownRows, or undefined (past `limit` or of another shape: one lookup a row); null when there
 * are none to take (none read, another file, the file changed since). Call with the file's lock
 * held and before writing to it. Ends the thread either way.
 */
export function takeEarlyRows(path: string, limit: number): KnownRows | undefined | null {
  const taking = early;
  early = undefined;
  if (taking === undefined || taking.gone) {
    taking?.port.close();
    void taking?.worker.terminate();
    return null;
  }
  const { worker, port, flag } = taking;
  try {
    const ask: EarlyAsk = { path, limit };
    port.postMessage(ask);
    const until = Date.now() + ANSWER_MS;
    for (let now = Date.now(); Atomics.load(flag, 0) !== ANSWERED; now = Date.now()) {
      if (now >= until) return null;
      Atomics.wait(flag, 0, Atomics.load(flag, 0), until - now);
    }
    const answer = receiveMessageOnPort(port)?.message as EarlyAnswer | undefined;
    if (answer === undefined || !answer.taken) return null;
    return answer.slots === undefined ? undefined : KnownRows.of(answer.slots);
  } finally {
    port.close();
    void worker.terminate();
  }
}

/** No run will take the rows read early (a dry run): the thread ends, its memory with it. */
export function dismissEarlyRows(): void {
  const dismissed = early;
  early = undefined;
  if (dismissed === undefined) return;
  dismissed.port.close();
  void dismissed.worker.terminate();
}

/** The worker's module: beside this one once built (tests run the sources: the built one). */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../../dist/src/state/early-rows-worker.js", here)
    : new URL("./early-rows-worker.js", here);
}
