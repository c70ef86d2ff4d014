/**
 * Shared by the import-events init tests: draft a mapping from an export, keep it as a user would
 * (its TODO_ values written), dry-run and run it, and read back what arrived at the emulator.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { ConfigError } from "../../src/errors.js";
import { type EventInitResult, runEventInit } from "../../src/init/events/init-events.js";
import type { ReadingOptions } from "../../src/init/reading.js";
import { parseMapping } from "../../src/mapping/load.js";
import { flags, importEvents } from "../cli/event-fixtures.js";
import { readJson, runCli, tempDir } from "../cli/helpers.js";
import type { EventExport, Meant } from "./event-exports.js";

/** `import-events init` on the export `make` writes: the draft, also as written to events.yaml. */
export async function draft<E extends EventExport>(
  make: (dir: string) => E,
  reading: Omit<ReadingOptions, "input"> = {},
) {
  const dir = tempDir();
  const file = make(dir);
  const out = join(dir, "events.yaml");
  const result = await runEventInit({ ...reading, input: file.path, out, force: false });
  expect(readFileSync(out, "utf8")).toBe(result.draft);
  return { dir, file, out, result };
}

/** The load problems of a draft: each a TODO_ it left, at its place, or none at all. */
export function todos(result: EventInitResult): string[] {
  if (result.todo === undefined) {
    parseMapping(result.draft, "events.yaml"); // loads unedited
    return [];
  }
  expect(result.todo).toBeInstanceOf(ConfigError);
  expect(() => parseMapping(result.draft, "events.yaml")).toThrow(ConfigError);
  return result.todo.issues.map((i) => `${i.path}: ${i.message}`);
}

/**
 * The draft as a user keeps it: each TODO_ value written as `fills` says, each TODO_ property
 * name replaced by the name "registered in the console" (here, the rest of it).
 */
export function keep(
  dir: string,
  text: string,
  fills: Readonly<Record<string, string>> = {},
): string {
  let kept = text;
  for (const [todo, value] of Object.entries(fills)) kept = kept.replaceAll(todo, value);
  kept = kept.replace(/^(\s+)TODO_(\w+):/gm, "$1$2:");
  expect(
    kept.split("\n").filter((l) => !l.trimStart().startsWith("#") && l.includes("TODO_")),
  ).toEqual([]);
  const path = join(dir, "kept.yaml");
  writeFileSync(path, kept);
  return path;
}

/** A dry run of the whole file with the kept mapping: its report. */
export async function dryRun(dir: string, input: string, map: string) {
  const report = join(dir, "dry.json");
  const argv = [
    input,
    "--map",
    map,
    "--dry-run",
    "--report",
    report,
    "--dead-letter",
    join(dir, "dry-dl.ndjson"),
  ];
  const result = await runCli(
    [...argv, "--log", join(dir, "dry.log")],
    {},
    undefined,
    "import-events",
  );
  expect(result.stderr).not.toMatch(/internal error/);
  return readJson(report) as { rows: number; accepted: number };
}

/** The lines of `expected` the draft does not have, each a whole line of it. */
export function missing(yaml: string, expected: readonly string[]): string[] {
  const lines = new Set(yaml.split("\n"));
  return expected.filter((line) => !lines.has(line));
}

/** Every event the emulator stored, with its identity. */
export const stored = (e: Emulator) =>
  e.store
    .events()
    .map((s) => ({ ...s.event, identity: { ...s.identity } as Record<string, string> }));

/** A real run into `e`: every event it stored. */
export async function realRun(e: Emulator, dir: string, input: string, map: string) {
  const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
  return { result, events: stored(e) };
}

export type Stored = ReturnType<typeof stored>[number];

/** Person, time and name of each event, in one order: what was meant against what arrived. */
const who = (events: readonly { person: string; utc: string; name: string }[]) =>
  events.map((e) => `${e.person} ${e.utc} ${e.name}`).sort();
export const meant = (events: readonly Meant[]) => who(events);
export const arrived = (events: readonly Stored[]) =>
  who(
    events.map((e) => ({
      person: e.identity.external_id as string,
      utc: e.event_datetime,
      name: e.event_name,
    })),
  );
