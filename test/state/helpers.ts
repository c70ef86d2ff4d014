import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import ts from "typescript";
import { IdentityTable } from "../../src/state/identities.js";
import { ProcessLock } from "../../src/state/process-lock.js";
import type { RunRequest } from "../../src/state/resume.js";
import { StateStore, type StateStoreOptions } from "../../src/state/store.js";

export const tempDir = (): string => mkdtempSync(join(tmpdir(), "state-"));

export const statePath = (): string => join(tempDir(), "state.db");

/** A random key of a row as read (row-key.ts: 22 chars of base64url). */
export const rawKey = (): string => randomBytes(17).toString("base64url").slice(0, 22);
/** A random identity key. */
export const idKey = (): string => randomBytes(32).toString("base64url");

/**
 * A state file of `n` identities, each with the key of a row known as read (but every
 * `unkeyedEvery`-th, when given), written in the index as a run before reading its known rows
 * does; open on `db`. `known`: row key → identity key.
 */
export function knownRowsFile(
  n: number,
  unkeyedEvery?: number,
): { path: string; db: Database.Database; known: Map<string, string> } {
  const path = statePath();
  StateStore.open(path).close();
  const db = new Database(path);
  const writer = new IdentityTable(db);
  const known = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const key = idKey();
    const raw = unkeyedEvery !== undefined && i % unkeyedEvery === 0 ? null : rawKey();
    writer.upsert(key, `hash-${i}`, raw);
    if (raw !== null) known.set(raw, key);
  }
  return { path, db, known };
}

/** Opens a store and takes its lock, as the importer does. */
export function openLocked(path: string, opts: StateStoreOptions = {}): StateStore {
  const store = StateStore.open(path, opts);
  store.acquireLock();
  return store;
}

export const request = (over: Partial<RunRequest> = {}): RunRequest => ({
  input: "users.csv",
  inputFingerprint: "100:input-a",
  mappingFingerprint: "mapping-a",
  mode: "new",
  ...over,
});

/** Takes a state file back to schema 9 (row keys in the `raw` index alone), as the older versions left it. */
export const BEFORE_ROW_KEY_COLUMN = "ALTER TABLE identities DROP COLUMN row_key;";

/** Takes a state file back to schema 8 (done lines one by one), as the older versions left it. */
export const BEFORE_DONE_RANGES = `${BEFORE_ROW_KEY_COLUMN} ALTER TABLE runs DROP COLUMN read_to; ALTER TABLE runs DROP COLUMN open_lines;`;

/** Takes a state file back to schema 7 (before rows' keys), as the older versions left it. */
export const BEFORE_ROW_KEYS = `${BEFORE_DONE_RANGES} DROP INDEX identities_raw; ALTER TABLE identities DROP COLUMN raw;`;

export const accepted = (identityHash: string, propertiesHash: string) =>
  ({ kind: "accepted", identityHash, propertiesHash }) as const;
export const deadLettered = { kind: "dead-lettered" } as const;
export const unchanged = { kind: "unchanged" } as const;

/**
 * A store's OS-level lock that the test can let go of as the process's death would, leaving the
 * lock table's row behind: a crash, simulated in this process.
 */
export function mortal(): { takeLock: (path: string) => ProcessLock | undefined; die: () => void } {
  const held: ProcessLock[] = [];
  return {
    takeLock: (path) => {
      const lock = ProcessLock.take(path);
      if (lock !== undefined) held.push(lock);
      return lock;
    },
    die: () => {
      for (const lock of held.splice(0)) lock.release();
    },
  };
}

const root = resolve(import.meta.dirname, "../..");

/** Node 20 cannot run TypeScript: transpile the store's sources into a temp dir. */
export function transpileStore(dir: string): void {
  const files = [
    "src/errors.ts",
    "src/api/dfinery.ts",
    ...readdirSync(join(root, "src/util")).map((f) => `src/util/${f}`),
    ...readdirSync(join(root, "src/state")).map((f) => `src/state/${f}`),
  ];
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(root, file), "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const out = join(dir, file.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
}
