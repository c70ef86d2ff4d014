#!/usr/bin/env node
/**
 * The README's flag tables, rendered from the declarations (commands.ts, flags.ts) into the regions
 * marked `<!-- flags:NAME -->` … `<!-- /flags -->` (NAME a command or its shorthand). A test fails
 * when they differ; `npm run docs:flags` writes them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { COMMANDS, type CommandDef } from "./commands.js";
import { flagText } from "./flags.js";
import { flagLabel, flagMeaning } from "./help.js";

const REGION = /(<!-- flags:([\w-]+) -->\n)([\s\S]*?)(<!-- \/flags -->)/g;

/** The command a region names: by its name or its shorthand; undefined for one declared elsewhere. */
function regionCommand(name: string): CommandDef | undefined {
  const command = COMMANDS.find((c) => c.name === name || c.shorthand?.bin === name);
  return command === undefined || command.flags.length === 0 ? undefined : command;
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** A command's flags as a Markdown table, its columns padded to line up. */
export function flagTable(command: CommandDef): string {
  const rows = command.flags.map((name) => {
    const meaning = flagMeaning(name, command.name);
    return [
      `\`${cell(flagLabel(name, flagText(name, command.name)))}\``,
      cell(meaning.text),
      cell(meaning.default),
    ];
  });
  const header = ["option", "meaning", "default"];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ""].join("\n");
}

/** `markdown` with every flag region of a declared command rendered anew; which regions those were. */
export function renderRegions(markdown: string): { text: string; regions: string[] } {
  const regions: string[] = [];
  const text = markdown.replace(
    REGION,
    (whole, open: string, name: string, _body, close: string) => {
      const command = regionCommand(name);
      if (command === undefined) return whole;
      regions.push(name);
      return `${open}\n${flagTable(command)}\n${close}`;
    },
  );
  return { text, regions };
}

/** `flag-docs [--write] [FILE…]`: checks (exit 1 when stale) or rewrites README.md's tables. */
function cli(argv: readonly string[]): number {
  const write = argv.includes("--write");
  const files = argv.filter((a) => !a.startsWith("--"));
  let stale = 0;
  for (const file of files.length > 0 ? files : ["README.md"]) {
    const before = readFileSync(file, "utf8");
    const { text, regions } = renderRegions(before);
    if (text === before) continue;
    if (write) writeFileSync(file, text);
    else stale++;
    process.stderr.write(
      `${file}: ${write ? "rewrote" : "stale"} flag tables (${regions.join(", ")})\n`,
    );
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.exitCode = cli(process.argv.slice(2));
