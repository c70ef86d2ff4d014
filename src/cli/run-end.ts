/** How a command's run ends: why it stopped, the report, the summary and the exit code. */
import type { Logger } from "pino";
import type { ReportConfig } from "../run/config.js";
import { KINDS } from "../run/kinds/index.js";
import { formatSummary, type Report, wordedReport, writeReport } from "../sinks/report.js";
import { EXIT, type Io } from "./io.js";

/** Says why the run stopped early, if it did: a bug with its trace, else the reason. */
export function tellStop(report: Report, bug: unknown, io: Io, logger: Logger): void {
  const stop = report.stoppedBy;
  if (stop?.reason === "internal") {
    io.stderr.write(
      `${io.name}: internal error (a bug; please report it with this trace):\n${bug instanceof Error ? bug.stack : String(bug)}\n`,
    );
  } else if (stop !== null && stop.reason !== "interrupt") {
    logger.warn({ stoppedBy: stop }, stop.message);
    io.stderr.write(`${io.name}: ${stop.message}\n`);
  }
}

/**
 * Writes the report and prints the summary (with --quiet, only when the exit is not 0); the exit
 * code, worse if the report cannot be written.
 */
export function finishRun(report: Report, config: ReportConfig, io: Io, logger: Logger): number {
  let code = exitCode(report, config.strict);
  logger.info({ report }, "import finished");
  const { words } = KINDS[io.program];
  if (config.path !== undefined) {
    try {
      writeReport(config.path, wordedReport(io.secrets.value(report), words));
    } catch (error) {
      io.stderr.write(`${io.name}: ${(error as Error).message}\n`);
      if (code === EXIT.ok || code === EXIT.rowsFailed) code = EXIT.usage;
    }
  }
  if (!config.quiet || code !== EXIT.ok) io.stdout.write(formatSummary(report, words));
  return code;
}

/**
 * The exit code a report calls for. Rows still failing as on an earlier run (with --state) do not
 * by themselves make it 1, unless `strict`: new failures do.
 */
export function exitCode(report: Report, strict = false): number {
  switch (report.stoppedBy?.reason) {
    case "fatal":
    case "rate-limit":
    case "breaker":
    case "canary":
      return EXIT.fatal;
    case "input":
    case "output":
      return EXIT.usage;
    case "internal":
      return EXIT.internal;
    case "interrupt":
      return EXIT.interrupted;
    default:
      return report.deadLettered - (strict ? 0 : report.stillFailing) > 0 || report.notAttempted > 0
        ? EXIT.rowsFailed
        : EXIT.ok;
  }
}

export function flushLog(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // a log that cannot be written was reported when it failed
  }
}
