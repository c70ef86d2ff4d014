/**
 * What both commands tell while a run goes on, beside the progress line: a long pause for the rate
 * limit (a warn line in the log, and on stderr unless --quiet) and each request the breaker's
 * diagnosis sends (an info line in the log).
 */
import type { Logger } from "pino";
import type { RateWait } from "../delivery/pacer.js";
import { waitNotice } from "../delivery/wait-notice.js";
import type { ProbeLog, ReportConfig } from "../run/config.js";
import type { Io } from "./io.js";

export interface RunHooks {
  readonly onWait: (wait: RateWait) => void;
  readonly onProbe: ProbeLog;
}

/** `report`: the run's, as resolved from the command line (--quiet). */
export function runHooks(report: ReportConfig, io: Io, logger: Logger): RunHooks {
  return {
    onWait: (wait) => {
      const notice = waitNotice(wait, Date.now());
      logger.warn({ until: new Date(wait.untilMs).toISOString(), reason: wait.reason }, notice);
      if (!report.quiet) io.stderr.write(`${io.name}: ${notice}\n`);
    },
    onProbe: (properties, answer) =>
      logger.info(
        { properties, answer },
        "circuit breaker: re-sent a refused row with some of its properties",
      ),
  };
}
