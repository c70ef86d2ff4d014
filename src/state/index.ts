export { canonicalJson } from "./canonical.js";
export { fingerprintInput, fingerprintMapping } from "./fingerprint.js";
export { identityKey, propertiesHash } from "./hash.js";
export { type LockInfo, StateLockedError } from "./lock.js";
export type { RunRequest } from "./resume.js";
export type { Outcome, RunHandle } from "./run-handle.js";
export type { RunCounts, RunStatus, RunSummary } from "./runs.js";
export { formatStatus, type StatusSource } from "./status.js";
export { KEEP_RUNS, type RunEnd, StateStore, type StateStoreOptions } from "./store.js";
