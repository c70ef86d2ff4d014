import { existsSync } from "node:fs";
import pino, { type Logger } from "pino";
import { errnoOf, ImporterError, OutputError, UsageError } from "../errors.js";
import { runEventInit } from "../init/events/init-events.js";
import { runInit } from "../init/init.js";
import { checkOutputPath, LOG_FORMAT, openAppend } from "../sinks/own-file.js";
import { endpointSecrets, Redactor } from "../sinks/redact.js";
import { isStreamOutput, openStreamOutput } from "../sinks/stream-output.js";
import { formatStatus, StateStore } from "../state/index.js";
import { visible } from "../util/visible.js";
import { writeThrough } from "../util/write-through.js";
import {
  type Bin,
  type CliOptions,
  type Invocation,
  parseResolved,
  resolveCommand,
} from "./args.js";
import { watchStdout } from "./closed-stdout.js";
import { BINARY } from "./commands.js";
import { runEmulator } from "./emulator.js";
import { HeldOutput } from "./held-output.js";
import { type CliIo, EXIT, type Io, type Outputs } from "./io.js";
import { checkPaths } from "./outputs.js";
import { flushLog } from "./run-end.js";
import { runImport } from "./run-import.js";

export async function main(
  argv: readonly string[],
  cliIo: CliIo,
  bin: Bin = BINARY,
): Promise<number> {
  // Every text written to stdout, stderr, the log, the report and the state file is redacted; what
  // a person reads (stdout, stderr, the log) has its control characters made visible.
  const secrets = new Redactor();
  const io: Outputs = {
    ...cliIo,
    stdout: secrets.stream(writeThrough(cliIo.stdout, visible)),
    stderr: secrets.stream(writeThrough(cliIo.stderr, visible)),
    bar: secrets.stream(cliIo.stderr),
    secrets,
    outputFailure: new AbortController(),
    stdoutClosed: watchStdout(cliIo),
  };
  let name: string = bin;
  let invocation: Invocation;
  try {
    const resolved = resolveCommand(argv, bin);
    name = resolved.name;
    invocation = parseResolved(resolved, io.env);
  } catch (error) {
    return reportError(error, io, name);
  }
  try {
    switch (invocation.kind) {
      case "text":
        io.stdout.write(invocation.text);
        return EXIT.ok;
      case "status":
        return showStatus(invocation.state, io);
      case "init":
        io.stdout.write((await runInit(invocation.options)).summary);
        return EXIT.ok;
      case "init-events":
        io.stdout.write((await runEventInit(invocation.options)).summary);
        return EXIT.ok;
      case "emulator":
        return await runEmulator(invocation.flags, io, name);
      case "import":
        return await runCommand(invocation.options, {
          ...io,
          program: invocation.program,
          name,
        });
    }
  } catch (error) {
    return reportError(error, io, name);
  }
}

/** An import run: --quiet's held stderr around it. */
async function runCommand(options: CliOptions, io: Io): Promise<number> {
  for (const secret of endpointSecrets(options.endpoint)) io.secrets.add(secret);
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
    return reportError(error, io, io.name);
  }
  let code: number;
  try {
    code = await runImport(options, io, logger);
  } catch (error) {
    code = reportError(error, io, io.name);
  } finally {
    flushLog(logger);
  }
  await new Promise((resolve) => setImmediate(resolve)); // a failed write's error is told on a tick
  // The log cut at the run's last lines (a full disk): the rows went through, the log did not.
  const logFailed = io.outputFailure.signal.aborted;
  return logFailed && (code === EXIT.ok || code === EXIT.rowsFailed) ? EXIT.usage : code;
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
        checkOutputPath(options.log, "--log", LOG_FORMAT);
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
    io.stderr.write(`${io.name}: ${problem.message}\n`);
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
    io.secrets.stream(writeThrough(destination, visible)),
  );
}

function showStatus(path: string, io: Outputs): number {
  if (!existsSync(path)) throw new UsageError(`no state file at ${path}`);
  const store = StateStore.open(path);
  try {
    io.stdout.write(formatStatus(store));
  } finally {
    store.close();
  }
  return EXIT.ok;
}

function reportError(error: unknown, io: Outputs, name: string): number {
  if (error instanceof ImporterError) {
    io.stderr.write(`${name}: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr.write(`Try ${name} --help.\n`);
    return error.code === "E_FATAL_API"
      ? EXIT.fatal
      : error.code === "E_INTERNAL"
        ? EXIT.internal
        : EXIT.usage;
  }
  io.stderr.write(
    `${name}: internal error (a bug; please report it with this trace):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return EXIT.internal;
}
