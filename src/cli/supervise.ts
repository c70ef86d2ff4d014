/**
 * A run under Ctrl-C, SIGTERM and SIGHUP, as every command has it: the first signal stops reading
 * and lets requests in flight finish (for at most GRACE_MS); a second Ctrl-C or SIGTERM, or the
 * grace's end, forces the exit with the report as it stands, so the totals still balance. A SIGHUP
 * after the first signal changes nothing: a closed terminal often sends two (the shell passes its
 * own on to its jobs, and the kernel hangs up the foreground group when the shell exits), and a
 * hangup is nobody asking for the exit now. Progress is shown unless --quiet.
 */
import type { Logger } from "pino";
import type { ReportConfig } from "../run/config.js";
import { KINDS } from "../run/kinds/index.js";
import type { Run } from "../run/run.js";
import type { Report } from "../sinks/report.js";
import { exitAfterClosedStdout } from "./closed-stdout.js";
import { EXIT, type Io } from "./io.js";
import { startProgress } from "./progress.js";
import { finishRun, flushLog, tellStop } from "./run-end.js";
import { SIGNALS } from "./signal-relay.js";

/** How long requests in flight may take to finish after Ctrl-C before the exit is forced. */
const GRACE_MS = 10_000;

export type SupervisedRun = Pick<Run<unknown>, "execute" | "snapshot" | "bug" | "progress">;

export interface Supervision {
  /** How the outcome is told (a forced exit writes the report as it stands). */
  readonly report: ReportConfig;
  readonly io: Io;
  readonly logger: Logger;
  /** Aborted by the first signal; the run was given its signal. */
  readonly interrupt: AbortController;
  /** After the run's own end has been told: records it, writes the report; the exit code. */
  readonly end: (report: Report) => number | Promise<number>;
  /** Before a forced exit, once the report is written (close what must stay resumable). */
  readonly beforeForcedExit?: () => void;
  /** Once the signals are the run's (a signal from now on stops it gracefully), before it starts. */
  readonly started?: () => void;
}

export async function supervise(runner: SupervisedRun, s: Supervision): Promise<number> {
  const { io, logger, interrupt } = s;
  let graceTimer: NodeJS.Timeout | undefined;
  const forceExit = () => {
    const report = runner.snapshot();
    const code = finishRun(
      { ...report, stoppedBy: report.stoppedBy ?? { reason: "interrupt", message: "forced exit" } },
      s.report,
      io,
      logger,
    );
    s.beforeForcedExit?.();
    flushLog(logger);
    (io.exit ?? process.exit)(code === EXIT.ok ? EXIT.interrupted : code);
  };
  const onSignal = (name: (typeof SIGNALS)[number]) => {
    if (interrupt.signal.aborted) return name === "SIGHUP" ? undefined : forceExit();
    io.stderr.write(
      `${io.name}: stopping: waiting for requests in flight (Ctrl-C again to exit now)\n`,
    );
    interrupt.abort();
    graceTimer = setTimeout(forceExit, GRACE_MS);
    graceTimer.unref();
  };
  const listeners = SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, listener] of listeners) io.signals?.on(name, listener);
  // A closed stdout stops the run as a first Ctrl-C does, without a word: there is no one to read
  // it. It is what stopped the run only when no signal came first (a hangup closes stdout too).
  let stoppedByClosedStdout = false;
  const onStdoutClosed = () => {
    if (interrupt.signal.aborted) return;
    stoppedByClosedStdout = true;
    interrupt.abort();
  };
  if (io.stdoutClosed.aborted) onStdoutClosed();
  else io.stdoutClosed.addEventListener("abort", onStdoutClosed, { once: true });
  s.started?.();
  const progress = s.report.quiet
    ? undefined
    : startProgress(runner, io.bar, logger, KINDS[io.program].words.done);
  try {
    const report = await runner.execute();
    progress?.stop();
    tellStop(report, runner.bug, io, logger);
    return exitAfterClosedStdout(await s.end(report), stoppedByClosedStdout);
  } finally {
    progress?.stop();
    clearTimeout(graceTimer);
    for (const [name, listener] of listeners) io.signals?.off(name, listener);
    io.stdoutClosed.removeEventListener("abort", onStdoutClosed);
  }
}
