import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import pino, { type Logger } from "pino";
import { ImporterError, UsageError } from "../errors.js";
import { loadMapping } from "../mapping/load.js";
import { type ImportOptions, ImportRun } from "../run/import.js";
import { formatSummary, type Report, writeReport } from "../sinks/report.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import { type CliOptions, parseCliArgs, USAGE } from "./args.js";
import { startProgress } from "./progress.js";

/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Emits SIGINT / SIGTERM. The first stops the run gracefully, the second forces the exit. */
  readonly signals?: NodeJS.EventEmitter;
  /** Called on a forced exit (second signal, or the grace period ran out). */
  readonly exit?: (code: number) => void;
}

export const EXIT = {
  ok: 0,
  rowsFailed: 1,
  usage: 2,
  fatal: 3,
  internal: 70,
  interrupted: 130,
} as const;

/** How long requests in flight may take to finish after Ctrl-C before the exit is forced. */
const GRACE_MS = 10_000;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseCliArgs(argv, io.env);
    if (parsed.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    options = parsed.options;
  } catch (error) {
    return reportError(error, io);
  }
  const logger = pino(
    {
      level: options.logLevel,
      base: null,
      // The token is never put in a log object; these paths are a second guard.
      redact: {
        paths: ["accessToken", "*.accessToken", "access_token", "*.access_token"],
        censor: "[REDACTED]",
      },
    },
    pino.destination({ dest: options.log ?? 2, sync: true, mkdir: true }),
  );
  try {
    return await run(options, io, logger);
  } catch (error) {
    return reportError(error, io);
  } finally {
    logger.flush();
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ImporterError) {
    io.stderr.write(`import-profiles: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr.write("Try import-profiles --help.\n");
    return error.code === "E_FATAL_API" ? EXIT.fatal : EXIT.usage;
  }
  io.stderr.write(
    `import-profiles: internal error (a bug; please report it with this trace):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return EXIT.internal;
}

function readToken(options: CliOptions, env: NodeJS.ProcessEnv): string {
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.tokenFile, "utf8");
    } catch {
      throw new UsageError(`cannot read --token-file ${options.tokenFile}`);
    }
    const token = text.trim();
    if (token === "") throw new UsageError(`--token-file ${options.tokenFile} is empty`);
    return token;
  }
  const token = env.DFINERY_ACCESS_TOKEN?.trim();
  if (token === undefined || token === "") {
    throw new UsageError(
      "no access token: set DFINERY_ACCESS_TOKEN or pass --token-file FILE (or use --dry-run)",
    );
  }
  return token;
}

/** `users.csv.gz` → `users.dead-letter.ndjson`, in the current folder. */
export function defaultDeadLetterPath(input: string): string {
  if (input === "-") return "stdin.dead-letter.ndjson";
  const name = basename(input).replace(/\.gz$/i, "");
  const stem = name.replace(/\.(csv|tsv|ndjson|jsonl|json|txt)$/i, "");
  return `${stem}.dead-letter.ndjson`;
}

async function run(options: CliOptions, io: CliIo, logger: Logger): Promise<number> {
  if (options.map === undefined && options.dryRun) {
    throw new UsageError("--dry-run needs --map: there is nothing to validate without a mapping");
  }
  // Usage mistakes first (they are cheapest to fix), then the mapping, before any input is read.
  const delivery = options.dryRun ? undefined : deliveryOptions(options, io.env);
  const mapping = options.map === undefined ? null : await loadMapping(options.map);
  const format: SourceFormat | undefined =
    options.format ??
    mapping?.source.format ??
    (mapping === null ? "ndjson" : detectFormat(options.input));
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of ${options.input} from its name: pass --format csv|tsv|ndjson (or source.format in the mapping)`,
    );
  }
  const deadLetterPath = options.deadLetter ?? defaultDeadLetterPath(options.input);
  if (options.input !== "-" && resolve(deadLetterPath) === resolve(options.input)) {
    throw new UsageError(
      `the dead-letter file would overwrite the input ${options.input}: pass --dead-letter FILE`,
    );
  }
  const encoding = options.encoding ?? mapping?.source.encoding;
  const delimiter = options.delimiter ?? mapping?.source.delimiter;
  const importOptions: ImportOptions = {
    input: options.input,
    format,
    mapping,
    deadLetterPath,
    sample: options.sample,
    ...(encoding === undefined ? {} : { encoding }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(delivery === undefined ? {} : { delivery }),
  };

  const interrupt = new AbortController();
  const runner = new ImportRun(importOptions, {
    interrupt: interrupt.signal,
    onSample: (body) => io.stdout.write(`${JSON.stringify(body)}\n`),
    ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
  });
  logger.info(
    {
      input: options.input,
      format,
      dryRun: options.dryRun,
      endpoint: importOptions.delivery?.endpoint,
    },
    "import started",
  );

  const finish = (report: Report): number => {
    if (options.report !== undefined) writeReport(options.report, report);
    io.stdout.write(formatSummary(report));
    logger.info({ report }, "import finished");
    return exitCode(report);
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const forceExit = () => {
    const report = runner.snapshot();
    const code = finish({
      ...report,
      stoppedBy: report.stoppedBy ?? { reason: "interrupt", message: "forced exit" },
    });
    logger.flush();
    (io.exit ?? process.exit)(code === EXIT.ok ? EXIT.interrupted : code);
  };
  const onSignal = () => {
    if (interrupt.signal.aborted) return forceExit();
    io.stderr.write(
      "import-profiles: stopping: waiting for requests in flight (Ctrl-C again to exit now)\n",
    );
    interrupt.abort();
    graceTimer = setTimeout(forceExit, GRACE_MS);
    graceTimer.unref();
  };
  io.signals?.on("SIGINT", onSignal);
  io.signals?.on("SIGTERM", onSignal);
  const progress = options.quiet ? undefined : startProgress(runner, io.stderr, logger);
  try {
    const report = await runner.execute();
    progress?.stop(report);
    if (report.stoppedBy?.reason === "input")
      io.stderr.write(`import-profiles: ${report.stoppedBy.message}\n`);
    if (report.stoppedBy?.reason === "fatal")
      io.stderr.write(`import-profiles: ${report.stoppedBy.message}\n`);
    return finish(report);
  } finally {
    progress?.stop();
    clearTimeout(graceTimer);
    io.signals?.off("SIGINT", onSignal);
    io.signals?.off("SIGTERM", onSignal);
  }
}

function deliveryOptions(
  options: CliOptions,
  env: NodeJS.ProcessEnv,
): NonNullable<ImportOptions["delivery"]> {
  if (options.serviceId === undefined || options.serviceId.trim() === "") {
    throw new UsageError(
      "no service id: pass --service-id ID or set DFINERY_SERVICE_ID (or use --dry-run)",
    );
  }
  return {
    endpoint: options.endpoint,
    serviceId: options.serviceId.trim(),
    accessToken: readToken(options, env),
    rate: options.rate,
    concurrency: options.concurrency,
    maxAttempts: options.maxAttempts,
  };
}

export function exitCode(report: Report): number {
  switch (report.stoppedBy?.reason) {
    case "fatal":
      return EXIT.fatal;
    case "input":
      return EXIT.usage;
    case "interrupt":
      return EXIT.interrupted;
    default:
      return report.deadLettered > 0 || report.notAttempted > 0 ? EXIT.rowsFailed : EXIT.ok;
  }
}
