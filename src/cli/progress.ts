import cliProgress from "cli-progress";
import type { Logger } from "pino";
import type { Run } from "../run/run.js";
import type { Report } from "../sinks/report.js";

/** Plain progress lines when stderr is not a terminal: few enough for a cron mail. */
const LOG_EVERY_MS = 30_000;

export interface Progress {
  stop(report?: Report): void;
}

/**
 * A live bar on stderr when it is a terminal (rows read, accepted/s, dead-lettered, time waiting for
 * the rate limit); otherwise a log line every 30 s. The input's size is unknown while streaming, so
 * the bar shows counts and rates, not a percentage.
 */
export function startProgress(
  run: Pick<Run<unknown>, "progress">,
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  logger: Logger,
  /** What the run calls the rows the API took (a delete's: deleted). */
  word = "accepted",
): Progress {
  const started = Date.now();
  const values = () => {
    const p = run.progress();
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return {
      rows: p.rows,
      accepted: p.accepted,
      dead: p.deadLettered,
      rate: Math.round(p.accepted / seconds),
      waited: Math.round(p.rateLimitWaitMs / 1000),
    };
  };
  if (stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr as NodeJS.WriteStream,
        format: `{rows} rows read | {accepted} ${word} ({rate}/s) | {dead} dead-lettered | {waited}s waiting for the rate limit`,
        hideCursor: true,
        clearOnComplete: true,
        fps: 4,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(0, 0, values());
    const timer = setInterval(() => bar.update(values()), 250);
    timer.unref();
    let stopped = false;
    return {
      stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        bar.stop();
      },
    };
  }
  const timer = setInterval(() => logger.info({ progress: values() }, "progress"), LOG_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
