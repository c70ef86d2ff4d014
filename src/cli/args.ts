/**
 * The command line → what to do: a command (commands.ts) and, for an import run, its CliOptions,
 * the boundary the run resolves its config from. Flags come from the one table (flags.ts): parsed
 * with node:util's parseArgs, checked against the flags they need, read with flag-values.ts.
 */
import { parseArgs } from "node:util";
import { parseRate, type Rate } from "../delivery/rate.js";
import { UsageError } from "../errors.js";
import type { InitOptions } from "../init/init.js";
import { DIALECTS } from "../source/dialect.js";
import type { SourceFormat } from "../source/types.js";
import {
  BINARY,
  COMMANDS,
  type CommandDef,
  commandNamed,
  commandOf,
  type Program,
  reachedBy,
  type Shorthand,
} from "./commands.js";
import { checkFlags, parseProblem, type Values } from "./flag-checks.js";
import {
  batchWait,
  delimiter,
  endpoint,
  integer,
  keepWindow,
  oneOf,
  parseDuration,
  share,
} from "./flag-values.js";
import { FLAGS, type FlagName, flagText } from "./flags.js";
import { commandHelp, helpFlags, overview, version } from "./help.js";

export type { Program } from "./commands.js";

export interface CliOptions {
  /** The inputs as given, joined by spaces: how messages, the log and the report name them. */
  readonly input: string;
  /** The inputs as given: files, folders, globs (src/source/inputs.ts), or `-`. */
  readonly inputs: readonly string[];
  readonly map: string | undefined;
  readonly dryRun: boolean;
  readonly sample: number;
  readonly serviceId: string | undefined;
  readonly tokenFile: string | undefined;
  readonly endpoint: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly maxWaitMs: number;
  readonly maxErrorRate: number;
  readonly canary: number;
  readonly deadLetter: string | undefined;
  readonly report: string | undefined;
  readonly format: SourceFormat | undefined;
  readonly encoding: string | undefined;
  readonly delimiter: string | undefined;
  /** `--sheet`: an xlsx input's sheet, by name or number. */
  readonly sheet: string | undefined;
  /** `--max-cell-lines` as given: deprecated, read by nothing; given, it is warned of. */
  readonly maxCellLines: string | undefined;
  readonly log: string | undefined;
  readonly logLevel: string;
  readonly quiet: boolean;
  readonly state: string | undefined;
  /** `--state-key`; the run uses `<state>.key` when it is not given. */
  readonly stateKey: string | undefined;
  readonly full: boolean;
  readonly strict: boolean;
  readonly resume: boolean;
  /** import-events: `--batch-wait`, ms. */
  readonly batchWaitMs: number;
  /** import-profiles, import-events: `--group-by-identity`. */
  readonly groupByIdentity: boolean;
  /** import-events: `--keep-events`, ms; undefined: remember every accepted event. */
  readonly keepEventsMs: number | undefined;
}

/** How the command line was given: the binary, or one of its shorthands. */
export type Bin = typeof BINARY | Shorthand;

/** The emulator's flags as given, or their defaults (the flags without one: undefined). */
export type EmulatorFlags = Readonly<Record<string, string | undefined>>;

/** What the command line asks for. */
export type Invocation =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "import"; readonly program: Program; readonly options: CliOptions }
  | { readonly kind: "init" | "init-events"; readonly options: InitOptions }
  | { readonly kind: "status"; readonly state: string }
  | { readonly kind: "emulator"; readonly flags: EmulatorFlags };

/** The command a command line names, the rest of it, and how to name the command in messages. */
export interface Resolved {
  readonly command: CommandDef | undefined;
  readonly argv: readonly string[];
  readonly name: string;
}

/**
 * `dfinery-import profiles X`, `import-profiles X`, `import-profiles status X` and
 * `dfinery-import events init X` to their command.
 */
export function resolveCommand(argv: readonly string[], bin: Bin = BINARY): Resolved {
  const [first = "", ...rest] = argv;
  if (bin !== BINARY) return reach(commandOf(bin), argv, bin);
  if (first === "" || first.startsWith("-")) return { command: undefined, argv, name: BINARY };
  const command = commandNamed(first);
  if (command === undefined) {
    const names = COMMANDS.filter((c) => !c.name.includes(" "))
      .map((c) => c.name)
      .join(", ");
    throw new UsageError(`no command "${first}"; the commands are ${names}`);
  }
  return reach(command, rest, `${BINARY} ${first}`);
}

/** `command`, or the command its first word reaches (`init`, `status`), named as given. */
function reach(command: CommandDef, argv: readonly string[], name: string): Resolved {
  const [first = "", ...rest] = argv;
  const reached = reachedBy(command, first);
  if (reached === undefined) return { command, argv, name };
  return { command: reached, argv: rest, name: `${name} ${first}` };
}

export function parseCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  bin: Bin = BINARY,
): Invocation {
  return parseResolved(resolveCommand(argv, bin), env);
}

/** What a resolved command line asks for: its command's flags read and checked. */
export function parseResolved(resolved: Resolved, env: NodeJS.ProcessEnv): Invocation {
  const command = resolved.command;
  if (command === undefined) return binaryFlags(resolved.argv);
  const { values, positionals } = parse(command, resolved.argv);
  if (values.help === true) return { kind: "text", text: commandHelp(command) };
  if (values.version === true) return { kind: "text", text: `${version()}\n` };
  checkFlags(command, values, positionals);
  const value = (name: FlagName): string | undefined => {
    const given = values[name];
    if (typeof given === "string") return given;
    const flag = flagText(name, command.name);
    return (typeof flag.env === "string" ? env[flag.env] : undefined) ?? flag.default;
  };
  const on = (name: FlagName) => values[name] === true;
  const input = positionals[0] as string;
  switch (command.run) {
    case "emulator":
      return {
        kind: "emulator",
        flags: Object.fromEntries(command.flags.map((name) => [name, value(name)])),
      };
    case "status":
      return { kind: "status", state: value("state") as string };
    case "init":
    case "init-events": {
      const format = value("format");
      const encoding = value("encoding");
      const sheet = value("sheet");
      const delimiterText = value("delimiter");
      const dialect = value("dialect");
      return {
        kind: command.run,
        options: {
          input,
          out: value("out") as string,
          force: on("force"),
          ...(on("no-header") ? { header: false } : {}),
          ...(delimiterText === undefined ? {} : { delimiter: delimiter(delimiterText) }),
          ...(dialect === undefined ? {} : { dialect: oneOf(dialect, "--dialect", DIALECTS) }),
          ...(encoding === undefined ? {} : { encoding }),
          ...(sheet === undefined ? {} : { sheet }),
          ...(format === undefined ? {} : { format: oneOf(format, "--format", FORMATS) }),
        },
      };
    }
    default:
      return {
        kind: "import",
        program: command.program ?? "import-profiles",
        options: runOptions(positionals, value, on),
      };
  }
}

const FORMATS: readonly SourceFormat[] = ["csv", "tsv", "ndjson", "xlsx"];
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An import run's options: every flag read, its default from the table where it is not given. */
function runOptions(
  inputs: readonly string[],
  value: (name: FlagName) => string | undefined,
  on: (name: FlagName) => boolean,
): CliOptions {
  const must = (name: FlagName) => value(name) as string; // a flag with a default
  const format = value("format");
  const delimiterText = value("delimiter");
  const keepEvents = value("keep-events");
  return {
    input: inputs.join(" "),
    inputs,
    map: value("map"),
    dryRun: on("dry-run"),
    sample: integer(must("sample"), "--sample", 0),
    maxCellLines: value("max-cell-lines"),
    serviceId: value("service-id"),
    tokenFile: value("token-file"),
    endpoint: endpoint(must("endpoint")),
    rate: parseRate(must("rate")),
    concurrency: integer(must("concurrency"), "--concurrency", 1),
    maxAttempts: integer(must("max-attempts"), "--max-attempts", 1),
    maxWaitMs: parseDuration(must("max-wait"), "--max-wait"),
    maxErrorRate: share(must("max-error-rate"), "--max-error-rate"),
    canary: integer(must("canary"), "--canary", 0),
    deadLetter: value("dead-letter"),
    report: value("report"),
    format: format === undefined ? undefined : oneOf(format, "--format", FORMATS),
    encoding: value("encoding"),
    sheet: value("sheet"),
    delimiter: delimiterText === undefined ? undefined : delimiter(delimiterText),
    log: value("log"),
    logLevel: oneOf(must("log-level"), "--log-level", LEVELS),
    quiet: on("quiet"),
    state: value("state"),
    stateKey: value("state-key"),
    full: on("full"),
    strict: on("strict"),
    resume: on("resume"),
    batchWaitMs: batchWait(value("batch-wait") ?? FLAGS["batch-wait"].default),
    groupByIdentity: on("group-by-identity"),
    keepEventsMs: keepEvents === undefined ? undefined : keepWindow(keepEvents),
  };
}

/** `dfinery-import` with no command: its --help, --version, or what is missing. */
function binaryFlags(argv: readonly string[]): Invocation {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    return { kind: "text", text: overview() };
  }
  if (argv[0] === "--version" || argv[0] === "-V") return { kind: "text", text: `${version()}\n` };
  throw new UsageError(`${argv[0]} is no command; give a command first, as ${BINARY} profiles …`);
}

function parse(command: CommandDef, argv: readonly string[]) {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const name of helpFlags(command)) {
    const flag = flagText(name, command.name);
    options[name] = {
      type: flag.value === undefined ? "boolean" : "string",
      ...(flag.short === undefined ? {} : { short: flag.short }),
    };
  }
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(parseProblem(error as Error & { code?: string }, command));
  }
}
