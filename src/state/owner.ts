import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";

/**
 * The command a state file belongs to: what it remembers differs (user profiles, events, linked
 * identities, deletes). The commands without a shorthand of their own are named as typed.
 */
export type StateCommand =
  | "import-profiles"
  | "import-events"
  | "dfinery-import identities"
  | "dfinery-import delete";

const REMEMBERS: Readonly<Record<StateCommand, string>> = {
  "import-profiles": "the user profiles DFINERY accepted",
  "import-events": "the events DFINERY accepted",
  "dfinery-import identities": "the identities DFINERY linked",
  "dfinery-import delete": "the people DFINERY deleted",
};

/**
 * Which command the file belongs to: as recorded, or import-profiles for a file written before
 * import-events existed (it has runs or hashes), or null for a file no run has used yet.
 */
export function ownerOf(db: Database.Database): StateCommand | null {
  const stored = db.prepare("SELECT value FROM meta WHERE name = 'command'").pluck().get();
  if (typeof stored === "string" && stored in REMEMBERS) return stored as StateCommand;
  const used = db
    .prepare("SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM identities)")
    .pluck()
    .get() as number;
  return used > 0 ? "import-profiles" : null;
}

/**
 * Claims the file for `command`, or refuses it (E_USAGE) when another command's runs wrote it:
 * one state file per command, as their runs, resumes and memories are not the same. `readOnly`
 * (a dry run) only checks.
 */
export function claimFor(
  db: Database.Database,
  path: string,
  command: StateCommand,
  readOnly: boolean,
): void {
  const owner = ownerOf(db);
  if (owner !== null && owner !== command) {
    throw new ImporterError(
      "E_USAGE",
      `state file ${path} belongs to ${owner} (it remembers ${REMEMBERS[owner]}): give ${command} a --state file of its own`,
    );
  }
  if (owner === null && !readOnly) {
    db.prepare("INSERT INTO meta (name, value) VALUES ('command', ?)").run(command);
  }
}
