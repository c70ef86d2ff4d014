import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunRequest } from "../../src/state/resume.js";
import { StateStore, type StateStoreOptions } from "../../src/state/store.js";

export const tempDir = (): string => mkdtempSync(join(tmpdir(), "state-"));

export const statePath = (): string => join(tempDir(), "state.db");

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

export const accepted = (identityKey: string, propertiesHash: string) =>
  ({ kind: "accepted", identityKey, propertiesHash }) as const;
export const deadLettered = { kind: "dead-lettered" } as const;
export const unchanged = { kind: "unchanged" } as const;
