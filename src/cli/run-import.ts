/**
 * A command's run, of whichever kind the command names: the command line resolved once into the
 * run's config (defaults filled, the token read, the mapping loaded and checked for the kind) and
 * its dependencies (one clock, the state session, the hooks that print), then run under
 * supervision. The same options, files, exit codes, report, --state and quiet mode for every kind.
 */
import type { Logger } from "pino";
import { UsageError } from "../errors.js";
import { loadMapping } from "../mapping/load.js";
import { DEFAULT_DEPS, DEFAULT_RUN, type RunConfig } from "../run/config.js";
import { KINDS } from "../run/kinds/index.js";
import { Run } from "../run/run.js";
import type { StateSession } from "../run/state-session.js";
import { checkReportPath } from "../sinks/report.js";
import { expandInputs } from "../source/inputs.js";
import { defaultStateKeyPath } from "../state/index.js";
import { stringifyExactly } from "../util/exact-number.js";
import type { CliOptions } from "./args.js";
import { deliveryConfig } from "./delivery-options.js";
import { inputFormat } from "./input-format.js";
import type { Io } from "./io.js";
import { deadLetterPathOf, writtenPaths } from "./outputs.js";
import { runHooks } from "./run-hooks.js";
import { appendsDeadLetter, superviseRun, withState } from "./state-run.js";

export async function runImport(options: CliOptions, io: Io, logger: Logger): Promise<number> {
  const kind = KINDS[io.program];
  const config = await resolveConfig(options, io, kind.identityOnly);
  kind.checkMapping(config.mapping, config.format, options.map ?? options.input);
  return withState(config, io, logger, (session) => {
    const interrupt = new AbortController();
    const run = new Run(
      kind,
      { ...config, appendDeadLetter: appendsDeadLetter(session) },
      runDeps(session, interrupt, config, io, logger),
    );
    return superviseRun(run, config, session, { io, logger, interrupt });
  });
}

/**
 * Checks the command line and the mapping, and settles what the run will read and where it
 * writes: usage mistakes first (they are cheapest to fix), then the mapping, before any input is read.
 */
async function resolveConfig(
  options: CliOptions,
  io: Io,
  identityOnly: boolean,
): Promise<RunConfig> {
  if (options.map === undefined && options.dryRun) {
    throw new UsageError("--dry-run needs --map: there is nothing to validate without a mapping");
  }
  const delivery = options.dryRun ? null : deliveryConfig(options, io);
  if (options.maxCellLines !== undefined) {
    // Old cron lines still run; stderr is held under --quiet like every warning.
    io.stderr.write(
      `${io.name}: warning: --max-cell-lines is deprecated and has no effect (docs/csv.md): drop it\n`,
    );
  }
  // Without --map the input is a dead-letter file: its stored payloads are sent again.
  const mapping = options.map === undefined ? null : await loadMapping(options.map, identityOnly);
  const inputs = await expandInputs(options.inputs, writtenPaths(options));
  const format = inputFormat(options, mapping, inputs.files);
  if (options.report !== undefined) checkReportPath(options.report);
  return {
    input: options.input,
    inputs,
    format,
    encoding: options.encoding,
    delimiter: options.delimiter,
    sheet: options.sheet,
    mapping,
    deadLetterPath: deadLetterPathOf(options),
    appendDeadLetter: false,
    delivery,
    sample: options.sample,
    batchWaitMs: options.batchWaitMs,
    maxPending: DEFAULT_RUN.maxPending,
    state:
      options.state === undefined
        ? null
        : {
            path: options.state,
            keyPath: options.stateKey ?? defaultStateKeyPath(options.state),
            full: options.full,
            resume: options.resume,
            keepEventsMs: options.keepEventsMs,
          },
    report: { path: options.report, strict: options.strict, quiet: options.quiet },
    groupByIdentity: options.groupByIdentity,
  };
}

function runDeps(
  session: StateSession | undefined,
  interrupt: AbortController,
  config: RunConfig,
  io: Io,
  logger: Logger,
) {
  return {
    ...DEFAULT_DEPS,
    interrupt: interrupt.signal,
    outputFailure: io.outputFailure.signal,
    stdin: io.stdin,
    onSample: (body: object) => io.stdout.write(`${stringifyExactly(body)}\n`),
    ...runHooks(config.report, io, logger),
    ...(session === undefined ? {} : { state: session.link, carried: session.carried }),
  };
}
