/** The files a run writes, as the command line names them or by default. */
import {
  checkOutputPath,
  DEAD_LETTER_FORMAT,
  LOG_FORMAT,
  type OwnFormat,
  REPORT_FORMAT,
} from "../sinks/own-file.js";
import { isStreamOutput } from "../sinks/stream-output.js";
import { inputStem } from "../source/inputs.js";
import { defaultStateKeyPath } from "../state/index.js";
import type { CliOptions } from "./args.js";
import { checkDistinctPaths, type NamedPath } from "./paths.js";

/** The files the command names: no two may be one file (an output would replace another file). */
export function checkPaths(options: CliOptions): void {
  const named: NamedPath[] = [];
  for (const input of options.inputs) {
    if (input !== "-") named.push({ role: "the input", path: input });
  }
  if (options.map !== undefined) named.push({ role: "--map", path: options.map });
  if (options.tokenFile !== undefined) {
    named.push({ role: "--token-file", path: options.tokenFile });
  }
  named.push({
    role:
      options.deadLetter === undefined
        ? "the dead-letter file (pass --dead-letter FILE)"
        : "--dead-letter",
    path: deadLetterPathOf(options),
  });
  if (options.report !== undefined) named.push({ role: "--report", path: options.report });
  if (options.log !== undefined) named.push({ role: "--log", path: options.log });
  if (options.state !== undefined) named.push({ role: "--state", path: options.state });
  if (options.state !== undefined) {
    const key = options.stateKey ?? defaultStateKeyPath(options.state);
    named.push({ role: "--state-key", path: key });
  }
  checkDistinctPaths(named);
  checkOwnOutputs(options);
}

/**
 * Before anything is written (a dry run too): each output is new, empty, or a file of the kind this
 * tool writes there, never another file it would replace or add to (own-file.ts).
 */
function checkOwnOutputs(options: CliOptions): void {
  const outputs: [string | undefined, string, OwnFormat][] = [
    [deadLetterPathOf(options), "the dead-letter file", DEAD_LETTER_FORMAT],
    [options.report, "--report", REPORT_FORMAT],
    [options.log, "--log", LOG_FORMAT],
  ];
  for (const [path, what, format] of outputs) {
    if (path !== undefined && !isStreamOutput(path)) checkOutputPath(path, what, format);
  }
}

export function deadLetterPathOf(options: CliOptions): string {
  return options.deadLetter ?? defaultDeadLetterPath(options.inputs[0] ?? "-", options.dryRun);
}

/**
 * `users.csv.gz` → `users.dead-letter.ndjson`, in the current folder (a folder `spark-out/`:
 * `spark-out.dead-letter.ndjson`; a glob `hourly/*.json.gz`: `hourly.…`). A dry run writes
 * `users.dry-run.dead-letter.ndjson`, so that checking a file never replaces the failures of a real
 * run that is still to be resumed or replayed.
 */
export function defaultDeadLetterPath(input: string, dryRun = false): string {
  const name = inputStem(input).replace(/\.gz$/i, "");
  const stem = name.replace(/\.(csv|tsv|ndjson|jsonl|json|txt|xlsx|xlsm)$/i, "");
  return `${stem}${dryRun ? ".dry-run" : ""}.dead-letter.ndjson`;
}

/** The state file and SQLite's files beside it (the OS lock's file, state/process-lock.ts, too). */
const STATE_FILES = [
  "",
  "-wal",
  "-shm",
  "-journal",
  "-lock",
  "-lock-wal",
  "-lock-shm",
  "-lock-journal",
];

/**
 * Every file a run writes, with the files beside them (a state file's journal, a damaged dead
 * letter moved aside): an export's folder given as the input may hold them, and they are never
 * read as its inputs.
 */
export function writtenPaths(options: CliOptions): string[] {
  const deadLetter = deadLetterPathOf(options);
  const state = options.state;
  return [
    deadLetter,
    `${deadLetter}.damaged`,
    ...(options.report === undefined ? [] : [options.report]),
    ...(options.log === undefined ? [] : [options.log]),
    ...(state === undefined
      ? []
      : [
          options.stateKey ?? defaultStateKeyPath(state),
          ...STATE_FILES.map((suffix) => `${state}${suffix}`),
        ]),
  ];
}
