import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { flagTable, renderRegions } from "../../src/cli/flag-docs.js";
import { ROOT } from "./helpers.js";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("README.md's flag tables", () => {
  it("are the command table's, as `npm run docs:flags` writes them", () => {
    // On a failure the diff is the fix: run `npm run docs:flags`.
    expect(renderRegions(readme).text).toBe(readme);
  });

  it("are there for every command with a shorthand: profiles, events, the emulator", () => {
    const { regions } = renderRegions(readme);
    const shorthands = COMMANDS.flatMap((c) =>
      c.shorthand === undefined ? [] : [c.shorthand.bin],
    );
    expect(shorthands).toEqual(["import-profiles", "import-events", "dfinery-emulator"]);
    expect(regions).toEqual(shorthands);
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
