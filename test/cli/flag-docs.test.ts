import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { flagTable, renderRegions } from "../../src/cli/flag-docs.js";
import { ROOT } from "./helpers.js";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
/** The commands without a shorthand have their tables beside their reference (the README stays short). */
const reference = readFileSync(join(ROOT, "docs/identities-and-deletes.md"), "utf8");

describe("README.md's flag tables", () => {
  it("are the command table's, as `npm run docs:flags` writes them", () => {
    // On a failure the diff is the fix: run `npm run docs:flags`.
    expect(renderRegions(readme).text).toBe(readme);
    expect(renderRegions(reference).text).toBe(reference);
  });

  it("are there for every command: those with a shorthand in the README, the others beside their reference", () => {
    const shorthands = COMMANDS.flatMap((c) =>
      c.shorthand === undefined ? [] : [c.shorthand.bin],
    );
    expect(shorthands).toEqual(["import-profiles", "import-events", "dfinery-emulator"]);
    expect(renderRegions(readme).regions).toEqual(shorthands);
    expect(renderRegions(reference).regions).toEqual(["identities", "delete"]);
  });

  it("are rewritten where a row went stale, and nothing else is touched", () => {
    const stale = readme.replace("| `--quiet` ", "| `--silent`");
    expect(stale).not.toBe(readme);
    expect(renderRegions(stale).text).toBe(readme);
  });

  it("list a command's flags only, one row each, with its default", () => {
    const events = COMMANDS.find((c) => c.name === "events");
    const profiles = COMMANDS.find((c) => c.name === "profiles");
    if (events === undefined || profiles === undefined) throw new Error("no such command");
    const table = flagTable(events);
    expect(table.split("\n").filter((l) => l.startsWith("| `--")).length).toBe(events.flags.length);
    expect(table).toMatch(/^\| `--rate N\/m\\\|N\/s\\\|N\/h` +\| .+ \| `1000000\/m` +\|$/m);
    expect(table).toContain("`--keep-events DURATION`");
    expect(flagTable(profiles)).not.toContain("--keep-events");
  });
});
