export type { AcceptedBody, Endpoint } from "./body-rules.js";
export type { Catalog, ExtendedCatalog } from "./catalog.js";
export { catalogProblems, parseCatalog } from "./catalog.js";
export type { EventCatalog, EventDefinition } from "./event-catalog.js";
export type {
  EmulatorInit,
  EmulatorOptions,
  FailForm,
  OverLimitForm,
  RateLimit,
  ResetUnit,
} from "./options.js";
export { DEFAULT_OPTIONS, parseLimit } from "./options.js";
export type { PropertyCatalog } from "./property-catalog.js";
export type { Emulator } from "./server.js";
export { startEmulator } from "./server.js";
export type { EmulatorStats, RequestStore, StoredEvent, StoredRequest } from "./store.js";
