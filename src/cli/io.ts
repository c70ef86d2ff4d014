/** What the CLI reads and writes of the outside world, and its exit codes. */
import type { Redactor } from "../sinks/redact.js";
import type { Program } from "./commands.js";

/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Emits SIGINT, SIGTERM and SIGHUP. The first stops the run gracefully, a second forces the exit. */
  readonly signals?: NodeJS.EventEmitter;
  /** Called on a forced exit (second signal, or the grace period ran out). */
  readonly exit?: (code: number) => void;
}

/** The CLI's io once its output is redacted, with the secrets to redact. */
export interface Outputs extends CliIo {
  readonly secrets: Redactor;
  /** stderr for the progress bar's own escape codes: redacted, its controls not made visible. */
  readonly bar: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted with an OutputError when the log cannot be written: the run stops for it. */
  readonly outputFailure: AbortController;
  /** Aborted when stdout's reader is gone (closed-stdout.ts): the run stops, quietly. */
  readonly stdoutClosed: AbortSignal;
}

/** An import run's io: its outputs, the run's canonical name, and the command as it was typed. */
export interface Io extends Outputs {
  /** The run's canonical name, for the state file and its kind: import-profiles, import-events… */
  readonly program: Program;
  /** The command as the user typed it, for messages: `dfinery-import profiles` or `import-profiles`. */
  readonly name: string;
}

export const EXIT = {
  ok: 0,
  rowsFailed: 1,
  usage: 2,
  fatal: 3,
  internal: 70,
  interrupted: 130,
} as const;
