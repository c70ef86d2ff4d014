import { existsSync } from "node:fs";
import pino, { type Logger } from "pino";
import { errnoOf, ImporterError, OutputError, UsageError } from "../errors.js";
import { initCommand } from "../init/cli.js";
import { checkOutputPath, openAppend } from "../sinks/own-file.js";
import { endpointSecrets, Redactor } from "../sinks/redact.js";
import { isStreamOutput, openStreamOutput } from "../sinks/stream-output.js";
import { formatStatus, StateStore } from "../state/index.js";
import { stringifyExactly } from "../util/exact-number.js";
import { type CliOptions, EVENTS_USAGE, type Program, parseCliArgs, USAGE } from "./args.js";
import { watchStdout } from "./closed-stdout.js";
import { HeldOutput } from "./held-output.js";
import { type CliIo, EXIT, type Io } from "./io.js";
import { checkPaths } from "./outputs.js";
import { flushLog } from "./run-end.js";
import { runImport } from "./run-import.js";

export async function main(
  argv: readonly string[],
  cliIo: CliIo,
  program: Program = "import-profiles",
): Promise<number> {
  // Every text written to stdout, stderr, the log, the report and the state file is redacted.
  const secrets = new Redactor();
  const io: Io = {
    ...cliIo,
    program,
    stdout: secrets.stream(cliIo.stdout),
    stderr: secrets.stream(cliIo.stderr),
    secrets,
    outputFailure: new AbortController(),
    stdoutClosed: watchStdout(cliIo),
  };
  if (program === "import-profiles" && argv[0] === "init") {
    try {
      return await initCommand(argv.slice(1), io.stdout);
    } catch (error) {
      return reportError(error, io);
    }
  }
  let options: CliOptions;
  try {
    const parsed = parseCliArgs(argv, io.env, program);
    if (parsed.command === "help") {
      io.stdout.write(program === "import-events" ? EVENTS_USAGE : USAGE);
      return EXIT.ok;
    }
    if (parsed.command === "status") return showStatus(parsed.state, io);
    options = parsed.options;
    for (const secret of endpointSecrets(options.endpoint)) secrets.add(secret);
  } catch (error) {
    return reportError(error, io);
  }
  // --quiet: stderr is held until the exit is known, and written only if it is not 0.
  const held = options.quiet ? new HeldOutput(io.stderr) : undefined;
  const quietIo: Io =
    held === undefined
      ? io
      : {
          ...io,
          stderr: held.stream,
          exit: (code) => {
            held.settle(code);
            (io.exit ?? process.exit)(code);
          },
        };
  const code = await runLogged(options, quietIo);
  held?.settle(code);
  return code;
}

async function runLogged(options: CliOptions, io: Io): Promise<number> {
  let logger: Logger;
  try {
    checkPaths(options);
    logger = openLogger(options, io);
  } catch (error) {
    return reportError(error, io);
  }
  try {
    return await runImport(options, io, logger);
  } catch (error) {
    return reportError(error, io);
  } finally {
    flushLog(logger);
  }
}

/**
 * JSON logs to stderr, or appended to --log (mode 0600 when created, never through a link to a
 * file), or written to --log's device or pipe.
 */
function openLogger(options: CliOptions, io: Io): Logger {
  let dest = 2;
  if (options.log !== undefined) {
    try {
      if (isStreamOutput(options.log)) dest = openStreamOutput(options.log, "--log");
      else {
        checkOutputPath(options.log, "--log");
        dest = openAppend(options.log);
      }
    } catch (error) {
      if (error instanceof ImporterError) throw new UsageError(error.message);
      throw new UsageError(`cannot write the log file ${options.log} (${errnoOf(error)})`);
    }
  }
  const destination = pino.destination({ dest, sync: true });
  // A log that cannot be written (a full disk) stops the run cleanly, once, instead of crashing it.
  destination.on("error", (error: unknown) => {
    const failure = io.outputFailure;
    if (failure.signal.aborted) return;
    const problem = new OutputError(
      options.log ?? "stderr",
      `cannot write the log (${errnoOf(error)})`,
    );
    io.stderr.write(`${io.program}: ${problem.message}\n`);
    failure.abort(problem);
  });
  return pino(
    {
      // --quiet promises silence on success: without --log there is nowhere quiet to log to.
      level: options.quiet && options.log === undefined ? "silent" : options.logLevel,
      base: null,
      // The token is never put in a log object; these paths are a second guard.
      redact: {
        paths: ["accessToken", "*.accessToken", "access_token", "*.access_token"],
        censor: "[REDACTED]",
      },
    },
    io.secrets.stream(destination),
  );
}

function showStatus(path: string, io: CliIo): number {
  if (!existsSync(path)) throw new UsageError(`no state file at ${path}`);
  const store = StateStore.open(path);
  try {
    io.stdout.write(formatStatus(store));
  } finally {
    store.close();
  }
  return EXIT.ok;
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof ImporterError) {
    io.stderr.write(`${io.program}: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr.write(`Try ${io.program} --help.\n`);
    return error.code === "E_FATAL_API"
      ? EXIT.fatal
      : error.code === "E_INTERNAL"
        ? EXIT.internal
        : EXIT.usage;
  }
  io.stderr.write(
    `${io.program}: internal error (a bug; please report it with this trace):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return EXIT.internal;
}
