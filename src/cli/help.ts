/**
 * The help texts and --version, rendered from the declarations (commands.ts, flags.ts): nothing
 * here says what a flag does.
 */
import { BINARY, COMMANDS, type CommandDef, reachedBy } from "./commands.js";
import { type FlagDef, type FlagName, flagText } from "./flags.js";

export { version } from "../util/version.js";

const WIDTH = 100;
/** Where a flag's text starts in the help. */
const TEXT_AT = 25;

/** `--rate N/m|N/s|N/h`, `-h, --help`. */
export function flagLabel(name: string, flag: FlagDef): string {
  const long = `--${name}${flag.value === undefined ? "" : ` ${flag.value}`}`;
  return flag.short === undefined ? long : `-${flag.short}, ${long}`;
}

/** What a flag does, for `command`: its text, its environment variable, its default. */
export function flagMeaning(name: FlagName, command: string): { text: string; default: string } {
  const flag = flagText(name, command);
  const text = typeof flag.env === "string" ? `${flag.help} (env \`${flag.env}\`)` : flag.help;
  const shown = flag.shows ?? (flag.default === undefined ? undefined : `\`${flag.default}\``);
  return { text, default: shown ?? (flag.value === undefined ? "off" : "—") };
}

/** The flags a command's help lists: its own, then --help (and --version on an import). */
export function helpFlags(command: CommandDef): readonly FlagName[] {
  return [...command.flags, "help", "version"];
}

/** `text` in lines of at most `width` (a word longer than that has a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

const plain = (text: string) => text.replaceAll("`", "");

/** `label` and its wrapped text, the text starting at TEXT_AT. */
function entry(label: string, text: string): string {
  const [first = "", ...rest] = wrap(plain(text), WIDTH - TEXT_AT);
  const pad = " ".repeat(TEXT_AT);
  const head =
    label.length + 2 < TEXT_AT - 1
      ? `  ${label.padEnd(TEXT_AT - 2)}${first}`
      : `  ${label}\n${pad}${first}`;
  return [head, ...rest.map((l) => `${pad}${l}`)].join("\n");
}

/** The usage lines of a command: as a command of the binary, and as its shorthand. */
export function usageLines(command: CommandDef): string[] {
  const lines = [`${BINARY} ${command.name} ${command.args}`];
  const shorthand = command.shorthand;
  if (shorthand !== undefined) lines.push(`${shorthand.bin} ${command.args}`);
  for (const other of COMMANDS) {
    const word = command.name.startsWith(`${other.name} `)
      ? command.name.slice(other.name.length + 1)
      : command.name;
    if (other.shorthand === undefined || reachedBy(other, word) !== command) continue;
    lines.push(`${other.shorthand.bin} ${word} ${command.args}`);
  }
  return lines;
}

/** `dfinery-import <command> --help`. */
export function commandHelp(command: CommandDef): string {
  const [first, ...more] = usageLines(command);
  const flags = helpFlags(command).map((name) => {
    const meaning = flagMeaning(name, command.name);
    const shown =
      meaning.default === "off" || meaning.default === "—" ? "" : ` (default ${meaning.default})`;
    return entry(flagLabel(name, flagText(name, command.name)), `${meaning.text}${shown}`);
  });
  const examples = command.examples.map((e) => `  ${e.command}\n      ${e.says}`);
  return [
    `Usage: ${first}`,
    ...more.map((l) => `       ${l}`),
    "",
    wrap(command.about, WIDTH).join("\n"),
    "",
    "Options:",
    ...flags,
    "",
    "Examples:",
    ...examples,
    ...(command.footer === undefined ? [] : ["", wrap(command.footer, WIDTH).join("\n")]),
    "",
  ].join("\n");
}

/** `dfinery-import --help`: the commands. */
export function overview(): string {
  const commands = COMMANDS.map((c) => entry(c.name, c.summary));
  const shorthands = COMMANDS.flatMap((c) =>
    c.shorthand === undefined ? [] : [`  ${c.shorthand.bin} …  is  ${BINARY} ${c.name} …`],
  );
  return [
    `Usage: ${BINARY} <command> [options]`,
    "",
    "Moves CSV, TSV or NDJSON files into DFINERY through its Import API, paced to the rate limit.",
    "",
    "Commands:",
    ...commands,
    "",
    "Shorthands:",
    ...shorthands,
    "",
    `${BINARY} <command> --help shows a command's options and examples; --version the version.`,
    "",
  ].join("\n");
}
