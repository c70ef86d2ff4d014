/**
 * The checks between flags, from the table: those a command must be given (`status --state`), those
 * that need another (`--resume` needs `--state`), the inputs a command reads; then the two that
 * are more than a flag's need. And what to say of a flag the command does not take.
 */
import { UsageError } from "../errors.js";
import { closest } from "../mapping/suggest.js";
import { COMMANDS, type CommandDef } from "./commands.js";
import { type FlagName, flagText } from "./flags.js";
import { helpFlags } from "./help.js";

/** parseArgs' values: a string for a flag with a value, true for a switch given. */
export type Values = Readonly<Record<string, string | boolean | undefined>>;

/** The checks between flags: those a command must be given, those that need another, the inputs. */
export function checkFlags(
  command: CommandDef,
  values: Values,
  positionals: readonly string[],
): void {
  for (const name of command.required ?? []) {
    if (values[name] === undefined) {
      const value = flagText(name, command.name).value; // none for a switch (delete's --yes)
      throw new UsageError(
        `${command.name} needs --${name}${value === undefined ? "" : ` ${value}`}`,
      );
    }
  }
  for (const name of command.flags) {
    const needs = flagText(name, command.name).needs as FlagName | undefined;
    if (values[name] === undefined || needs === undefined || values[needs] !== undefined) continue;
    throw new UsageError(
      `--${name} needs --${needs} ${flagText(needs, command.name).value ?? ""}`.trimEnd(),
    );
  }
  if (values.resume === true && values["dry-run"] === true) {
    throw new UsageError(
      "--resume does not go with --dry-run: a dry run sends nothing, so it leaves nothing to resume",
    );
  }
  if (values.resume === true && positionals.includes("-")) {
    throw new UsageError(
      "--resume cannot check standard input against the interrupted run: give a file",
    );
  }
  const many = command.inputs === "many" && positionals.length > 0;
  if (positionals.length !== command.inputs && !many) {
    throw new UsageError(
      command.inputs === 0
        ? `${command.name} reads no file; got ${positionals.join(" ")}`
        : positionals.length === 0
          ? command.inputs === "many"
            ? "missing the input file (a path, several, a folder, a quoted glob, or - for stdin)"
            : "missing the input file (a path, or - for stdin)"
          : `expected one input file, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  // Last: the other mistakes of the command line are said first.
  const confirm = command.confirm;
  if (confirm !== undefined && values[confirm.flag] !== true && values["dry-run"] !== true) {
    throw new UsageError(confirm.says);
  }
}

/** parseArgs' message, or for a flag the command does not take, which commands take it. */
export function parseProblem(error: Error & { code?: string }, command: CommandDef): string {
  const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if (error.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || unknown === undefined) return error.message;
  const name = unknown.replace(/^-+/, "").split("=")[0] as string;
  const takers = COMMANDS.filter((c) => (c.flags as readonly string[]).includes(name));
  if (takers.length > 0) {
    return `${command.name} takes no --${name}; ${takers.map((c) => c.name).join(" and ")} ${takers.length > 1 ? "do" : "does"}`;
  }
  const near = closest(name, helpFlags(command));
  return `unknown flag ${unknown}${near === undefined ? "" : `; did you mean --${near}?`}`;
}
