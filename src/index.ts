/**
 * dfinery-import as a library: the same stages the CLI wires together.
 *
 *   const mapping = await loadMapping("mapping.yaml");
 *   const report = await new ImportRun({ input: "users.csv", format: "csv", mapping,
 *     deadLetterPath: "users.dead-letter.ndjson", delivery: { … } }).execute();
 */
export * from "./api/dfinery.js";
export { conformsTo, isRealDate, isRealDatetime } from "./api/value-types.js";
export { main as importProfiles } from "./cli/main.js";
export { type AttemptResult, classify } from "./delivery/classify.js";
export { ProfileClient } from "./delivery/client.js";
export { Pacer } from "./delivery/pacer.js";
export { parseRate, type Rate } from "./delivery/rate.js";
export { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from "./delivery/retry-policy.js";
export { type Emulator, type EmulatorInit, startEmulator } from "./emulator/index.js";
export * from "./errors.js";
export { applyMapping } from "./mapping/apply.js";
export { checkColumns, loadMapping, parseMapping } from "./mapping/load.js";
export type { Mapping } from "./mapping/types.js";
export {
  type DeliveryOptions,
  type ImportDeps,
  type ImportOptions,
  ImportRun,
} from "./run/import.js";
export type { DeadLetterRecord } from "./sinks/dead-letter.js";
export { formatSummary, type Report } from "./sinks/report.js";
export * from "./source/index.js";
export { formatStatus, StateStore } from "./state/index.js";
