import type Database from "better-sqlite3";
import { canonicalJson } from "../util/canonical-json.js";
import { keyedHash, sha256 } from "../util/hash.js";

/**
 * The rows that failed for good, by content: so a row that fails again with the same content and
 * the same error as on an earlier run is known as "still failing", not as news. Keys are hashes
 * of the row's canonical JSON (never the row itself), keyed with the state key once it is bound;
 * a finished run forgets what it did not see.
 */
export class FailureTable {
  readonly #get: Database.Statement<[string], { error: string; run_id: number }>;
  readonly #put: Database.Statement<[string, string, number]>;
  readonly #prune: Database.Statement<[number]>;
  #key: Buffer | undefined;

  constructor(db: Database.Database) {
    this.#get = db.prepare("SELECT error, run_id FROM failures WHERE key = ?");
    this.#put = db.prepare(
      "INSERT INTO failures (key, error, run_id) VALUES (?, ?, ?) " +
        "ON CONFLICT (key) DO UPDATE SET error = excluded.error, run_id = excluded.run_id",
    );
    this.#prune = db.prepare("DELETE FROM failures WHERE run_id < ?");
  }

  /** Keys the row hashes from now on with the state key. */
  useKey(key: Buffer): void {
    this.#key = key;
  }

  /** Records that `row` failed with `error` in run `runId`; true if an earlier run saw the same. */
  note(row: unknown, error: string, runId: number): boolean {
    const text = canonicalJson(row);
    const key = this.#key === undefined ? sha256(text) : keyedHash(this.#key, text);
    const before = this.#get.get(key);
    this.#put.run(key, error, runId);
    return before !== undefined && before.run_id < runId && before.error === error;
  }

  /** Forgets failures no run since `runId` saw again (rows fixed, or gone from the input). */
  forgetBefore(runId: number): void {
    this.#prune.run(runId);
  }
}
