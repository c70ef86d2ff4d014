import type Database from "better-sqlite3";
import { ImporterError } from "../errors.js";
import { keyCheck } from "./key.js";

/**
 * How a state file took its key: `new` (it had no hashes yet), `same`, `cleared` (its hashes (of
 * identities, events and failed rows) were
 * written unkeyed by an older version, or with another key under --full: they are dropped, so the
 * run sends every row once and keys them anew), `unkeyed` (a dry run over such a file, which
 * writes nothing: every row counts as changed).
 */
export type KeyBinding = "new" | "same" | "cleared" | "unkeyed";

/**
 * Binds a state file to its key. A file whose hashes were keyed with another key is refused
 * (E_USAGE) unless `rekey` (--full), as its hashes would match nothing.
 */
export function bindKey(
  db: Database.Database,
  path: string,
  key: Buffer,
  options: { readonly rekey: boolean; readonly readOnly: boolean },
): KeyBinding {
  const check = keyCheck(key);
  const stored = db.prepare("SELECT value FROM meta WHERE name = 'key_check'").pluck().get() as
    | string
    | undefined;
  if (stored === check) return "same";
  const hashes = db
    .prepare("SELECT (SELECT count(*) FROM identities) + (SELECT count(*) FROM events)")
    .pluck()
    .get() as number;
  if (stored !== undefined && !options.rekey) {
    throw new ImporterError(
      "E_USAGE",
      `state file ${path} was written with another state key: pass the --state-key it was written with, or --full to start its memory over with this key`,
    );
  }
  if (options.readOnly) return hashes === 0 ? "new" : "unkeyed";
  db.transaction(() => {
    db.exec("DELETE FROM identities; DELETE FROM events; DELETE FROM failures");
    db.prepare(
      "INSERT INTO meta (name, value) VALUES ('key_check', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    ).run(check);
  }).immediate();
  return hashes === 0 ? "new" : "cleared";
}
