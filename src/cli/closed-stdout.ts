/**
 * A reader that leaves early (`import-profiles … --sample 3 | head -1`): the next write to stdout
 * fails with EPIPE. As `cat`, `grep` or `git` in the same pipe, the importer then ends quietly, no
 * stack trace and nothing more printed; but as a run, not a death by SIGPIPE: it stops as on
 * Ctrl-C (reading stops, requests in flight finish, the report and the state are written, the run
 * can be resumed) and exits 141, the code a shell shows for a command ended by SIGPIPE, so that a
 * `set -o pipefail` script sees it as it sees theirs. A command that had written all it had (a
 * help, a status, a run's summary) keeps its own exit code.
 */
import { EXIT } from "./io.js";

/** 128 + SIGPIPE (13). */
export const EXIT_STDOUT_CLOSED = 141;

/**
 * Listens for the failure of stdout (its reader gone) and of stderr (nothing more can be said
 * there): neither is an unhandled error. The signal aborts when stdout can no longer be written.
 */
export function watchStdout(io: {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}): AbortSignal {
  const closed = new AbortController();
  io.stdout.on("error", (error: unknown) => {
    if (!closed.signal.aborted) closed.abort(error);
  });
  io.stderr.on("error", () => {});
  return closed.signal;
}

/**
 * The exit code of a run that stopped (130) because stdout closed; any other code stands, and so
 * does a signal's 130 when stdout closed after it (a terminal's hangup takes stdout with it).
 */
export function exitAfterClosedStdout(code: number, stoppedByClosedStdout: boolean): number {
  return stoppedByClosedStdout && code === EXIT.interrupted ? EXIT_STDOUT_CLOSED : code;
}
