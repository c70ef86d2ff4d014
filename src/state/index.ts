export { dismissEarlyRows, startEarlyRows, takeEarlyRows } from "./early-rows.js";
export { eventKey } from "./events.js";
export type { FinishedFile } from "./files.js";
export {
  combinedFingerprint,
  fingerprintInput,
  fingerprintInputs,
  fingerprintMapping,
} from "./fingerprint.js";
export { identityHash, propertiesHash } from "./hash.js";
export { defaultStateKeyPath, loadStateKey } from "./key.js";
export type { KeyBinding } from "./key-binding.js";
export { type KnownRow, KnownRows, type SharedSlots } from "./known-rows.js";
export { type LockInfo, StateLockedError } from "./lock.js";
export type { StateCommand } from "./owner.js";
export type { RunRequest } from "./resume.js";
export { type RowContext, RowKeys, RowTexts, rowKeyOfText } from "./row-key.js";
export type { AcceptedRow, BatchOutcome, Outcome, RunHandle } from "./run-handle.js";
export type { RunCounts, RunStatus, RunSummary } from "./runs.js";
export { stateFileError } from "./sqlite-error.js";
export { formatStatus, type StatusSource } from "./status.js";
export { KEEP_RUNS, type RunEnd, StateStore, type StateStoreOptions } from "./store.js";
