/**
 * dfinery-import as a library: the same stages the CLI wires together.
 *
 *   const mapping = await loadMapping("mapping.yaml");
 *   const report = await new Run(PROFILES, { input: "users.csv", format: "csv", mapping,
 *     deadLetterPath: "users.dead-letter.ndjson", delivery: { … } }).execute();
 *
 * A kind (PROFILES, EVENTS) says what a run sends; the Run does the rest the same way for each.
 * Several files, a folder or a glob: `inputs: await expandInputs(["exports/users/"])` beside `input`.
 */
export * from "./api/dfinery.js";
export { conformsTo, isRealDate, isRealDatetime } from "./api/value-types.js";
export { main as importProfiles } from "./cli/main.js";
export { type AttemptResult, classify } from "./delivery/classify.js";
export { ApiClient } from "./delivery/client.js";
export { Pacer } from "./delivery/pacer.js";
export { parseRate, type Rate } from "./delivery/rate.js";
export { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from "./delivery/retry-policy.js";
export { type Emulator, type EmulatorInit, startEmulator } from "./emulator/index.js";
export * from "./errors.js";
export { applyMapping } from "./mapping/apply.js";
export { checkColumns, loadMapping, parseMapping } from "./mapping/load.js";
export type { Mapping } from "./mapping/types.js";
export type { DeliveryConfig, RunConfig, RunDeps, RunInit } from "./run/config.js";
export type { Kind } from "./run/kind.js";
export { EVENTS, PROFILES } from "./run/kinds/index.js";
export { Run } from "./run/run.js";
export type { DeadLetterRecord } from "./sinks/dead-letter.js";
export { formatSummary, type Report } from "./sinks/report.js";
export * from "./source/index.js";
export { expandInputs, type Inputs } from "./source/inputs.js";
export { formatStatus, StateStore } from "./state/index.js";
