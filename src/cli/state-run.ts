/**
 * A command's run with `--state`, as both commands have it: the state file opened (its lock, the
 * run record, a resume) before the run and its notices told; the run's end recorded in it before
 * the report is written; and, on a forced exit, the file closed so the run stays resumable.
 */
import type { Logger } from "pino";
import { ImporterError } from "../errors.js";
import type { ReportConfig, RunConfig } from "../run/config.js";
import { csvDelimiter } from "../run/input.js";
import { openStateSession, type StateSession } from "../run/state-session.js";
import { reportForState } from "../sinks/redact.js";
import { EXIT, type Io } from "./io.js";
import { exitCode, finishRun } from "./run-end.js";
import { type SupervisedRun, type Supervision, supervise } from "./supervise.js";

/**
 * Opens the run's --state file (none without one), tells its notices, runs `body` with it and
 * closes it whatever happens.
 */
export async function withState(
  config: RunConfig,
  io: Io,
  logger: Logger,
  body: (session: StateSession | undefined) => Promise<number>,
): Promise<number> {
  const { state, input, inputs, mapping, delivery } = config;
  const session: StateSession | undefined =
    state === null
      ? undefined
      : await openStateSession(
          {
            ...state,
            command: io.program,
            input,
            mapping,
            files: inputs.files,
            many: inputs.many,
            dryRun: delivery === null,
            delimiter: csvDelimiter(config, mapping?.source),
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

/**
 * Tells the run's start in the log, then runs it under supervise() (signals, forced exit), its
 * end recorded in the state session (or none) before the report is written.
 */
export function superviseRun(
  runner: SupervisedRun,
  config: RunConfig,
  session: StateSession | undefined,
  s: Pick<Supervision, "io" | "logger" | "interrupt">,
): Promise<number> {
  const { io, logger } = s;
  // Logged once supervise() holds the signals: a signal after this line stops the run gracefully.
  const started = () =>
    logger.info(
      {
        input: config.input,
        format: config.format,
        dryRun: config.delivery === null,
        endpoint: config.delivery?.endpoint,
        state: config.state?.path,
        resumed: session?.resumed,
      },
      "import started",
    );
  const { report } = config;
  const end = stateEnd(session, report, io, logger, s.interrupt.signal);
  return supervise(runner, { ...s, report, ...end, started });
}

/** supervise()'s hooks for a run with this session (or none): how its end is recorded. */
function stateEnd(
  session: StateSession | undefined,
  config: ReportConfig,
  io: Io,
  logger: Logger,
  interrupt: AbortSignal,
): Pick<Supervision, "end" | "beforeForcedExit"> {
  return {
    end: async (report) => {
      // Recorded first: the run's end must not depend on the report file. A state file that
      // cannot record it (a full disk) is said, and the summary and report are still written.
      let stateFailed = false;
      let whole = true;
      try {
        const code = exitCode(report, config.strict);
        whole =
          (await session?.end(reportForState(io.secrets.value(report)), code, interrupt)) ?? true;
      } catch (error) {
        if (!(error instanceof ImporterError)) throw error;
        io.stderr.write(`${io.name}: ${error.message}\n`);
        stateFailed = true;
      }
      if (!whole) {
        io.stderr.write(
          `${io.name}: stopped while forgetting old events (--keep-events): the run is recorded finished; the next run with --keep-events forgets the rest\n`,
        );
      }
      const code = finishRun(report, config, io, logger);
      if (!whole && code === EXIT.ok) return EXIT.interrupted;
      return stateFailed && (code === EXIT.ok || code === EXIT.rowsFailed) ? EXIT.usage : code;
    },
    beforeForcedExit: () => session?.close(), // the run stays resumable
  };
}
