/**
 * `import-events`: the command line's event run. The same options, files, exit codes, report,
 * --state and quiet mode as import-profiles (main.ts, state-run.ts); the mapping must have an `event` section. Without
 * --map, the input is a dead-letter file of import-events, whose stored events are sent again.
 */
import type { Logger } from "pino";
import { UsageError } from "../errors.js";
import { loadMapping } from "../mapping/load.js";
import { EventRun } from "../run/event-run.js";
import { checkReportPath } from "../sinks/report.js";
import { stringifyExactly } from "../util/exact-number.js";
import type { CliOptions } from "./args.js";
import { deliveryOptions } from "./delivery-options.js";
import { inputFormat } from "./input-format.js";
import type { Io } from "./io.js";
import { deadLetterPathOf } from "./outputs.js";
import { runHooks } from "./run-hooks.js";
import { appendsDeadLetter, superviseRun, withState } from "./state-run.js";

export async function runEvents(options: CliOptions, io: Io, logger: Logger): Promise<number> {
  if (options.map === undefined && options.dryRun) {
    throw new UsageError("--dry-run needs --map: there is nothing to validate without a mapping");
  }
  const delivery = options.dryRun ? undefined : deliveryOptions(options, io);
  // Without --map the input is a dead-letter file of import-events: its stored events go again.
  const mapping = options.map === undefined ? null : await loadMapping(options.map);
  if (mapping !== null && mapping.event === undefined) {
    throw new UsageError(
      `${options.map}: no event section: import-events maps rows to events (README, "Events"); user profiles go through import-profiles`,
    );
  }
  const event = mapping?.event;
  const items = mapping?.items;
  const format = inputFormat(options, mapping);
  if (format === "ndjson" && items?.groupBy !== undefined) {
    throw new UsageError(`${options.map}: items.group_by is for CSV/TSV; in NDJSON use items.from`);
  }
  if (format !== "ndjson" && items?.from !== undefined) {
    throw new UsageError(`${options.map}: items.from is for NDJSON; in CSV/TSV use items.group_by`);
  }
  if (options.report !== undefined) checkReportPath(options.report);
  const encoding = options.encoding ?? mapping?.source.encoding;
  const delimiter = options.delimiter ?? mapping?.source.delimiter;
  return withState(options, io, logger, mapping, async (session) => {
    const interrupt = new AbortController();
    const runner = new EventRun(
      {
        input: options.input,
        format,
        mapping: mapping === null || event === undefined ? null : { ...mapping, event },
        deadLetterPath: deadLetterPathOf(options),
        appendDeadLetter: appendsDeadLetter(session),
        sample: options.sample,
        batchWaitMs: options.batchWaitMs,
        maxCellLines: options.maxCellLines,
        ...(encoding === undefined ? {} : { encoding }),
        ...(delimiter === undefined ? {} : { delimiter }),
        ...(delivery === undefined ? {} : { delivery }),
      },
      {
        interrupt: interrupt.signal,
        outputFailure: io.outputFailure.signal,
        onSample: (body) => io.stdout.write(`${stringifyExactly(body)}\n`),
        onWait: runHooks(options, io, logger).onWait,
        ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
        ...(session === undefined ? {} : { state: session.link, carried: session.carried }),
      },
    );
    return superviseRun(runner, { format, endpoint: delivery?.endpoint }, session, {
      options,
      io,
      logger,
      interrupt,
    });
  });
}
