/**
 * A command's run with `--state`, as both commands have it: the state file opened (its lock, the
 * run record, a resume) before the run and its notices told; the run's end recorded in it before
 * the report is written; and, on a forced exit, the file closed so the run stays resumable.
 */
import type { Logger } from "pino";
import { ImporterError } from "../errors.js";
import type { Mapping } from "../mapping/types.js";
import { openStateSession, type StateSession } from "../run/state-session.js";
import { defaultStateKeyPath } from "../state/index.js";
import type { CliOptions } from "./args.js";
import { EXIT, type Io } from "./io.js";
import { exitCode, finishRun } from "./run-end.js";
import { type SupervisedRun, type Supervision, supervise } from "./supervise.js";

/**
 * Opens the --state file for the run (none without --state), tells its notices, runs `body` with
 * it and closes it whatever happens. `mapping` null: a replay of stored payloads.
 */
export async function withState(
  options: CliOptions,
  io: Io,
  logger: Logger,
  mapping: Mapping | null,
  body: (session: StateSession | undefined) => Promise<number>,
): Promise<number> {
  const session: StateSession | undefined =
    options.state === undefined
      ? undefined
      : await openStateSession(
          {
            command: io.program,
            path: options.state,
            keyPath: options.stateKey ?? defaultStateKeyPath(options.state),
            input: options.input,
            mapping,
            full: options.full,
            resume: options.resume,
            dryRun: options.dryRun,
            ...(options.keepEventsMs === undefined ? {} : { keepEventsMs: options.keepEventsMs }),
          },
          logger,
        );
  for (const notice of session?.notices ?? []) {
    io.stderr.write(`${io.name}: warning: ${notice}\n`);
  }
  try {
    return await body(session);
  } finally {
    session?.close();
  }
}

/** A resumed run appends to what its interrupted pass wrote; a file it did not write is an older run's. */
export function appendsDeadLetter(session: StateSession | undefined): boolean {
  return (session?.carried.deadLettered ?? 0) > 0;
}

/** What the log's "import started" line tells of a run, beyond the command line. */
export interface RunStart {
  readonly format: string;
  readonly endpoint: string | undefined;
}

/**
 * Tells the run's start in the log, then runs it under supervise() (signals, forced exit), its
 * end recorded in the state session (or none) before the report is written.
 */
export function superviseRun(
  runner: SupervisedRun,
  start: RunStart,
  session: StateSession | undefined,
  s: Pick<Supervision, "options" | "io" | "logger" | "interrupt">,
): Promise<number> {
  const { options, io, logger } = s;
  // Logged once supervise() holds the signals: a signal after this line stops the run gracefully.
  const started = () =>
    logger.info(
      {
        input: options.input,
        format: start.format,
        dryRun: options.dryRun,
        endpoint: start.endpoint,
        state: options.state,
        resumed: session?.resumed,
      },
      "import started",
    );
  return supervise(runner, { ...s, ...stateEnd(session, options, io, logger), started });
}

/** supervise()'s hooks for a run with this session (or none): how its end is recorded. */
function stateEnd(
  session: StateSession | undefined,
  options: CliOptions,
  io: Io,
  logger: Logger,
): Pick<Supervision, "end" | "beforeForcedExit"> {
  return {
    end: (report) => {
      // Recorded first: the run's end must not depend on the report file. A state file that
      // cannot record it (a full disk) is said, and the summary and report are still written.
      let stateFailed = false;
      try {
        session?.end(io.secrets.value(report), exitCode(report, options.strict));
      } catch (error) {
        if (!(error instanceof ImporterError)) throw error;
        io.stderr.write(`${io.name}: ${error.message}\n`);
        stateFailed = true;
      }
      const code = finishRun(report, options, io, logger);
      return stateFailed && (code === EXIT.ok || code === EXIT.rowsFailed) ? EXIT.usage : code;
    },
    beforeForcedExit: () => session?.close(), // the run stays resumable
  };
}
