/**
 * The emulator's options, their defaults and their checks. Nothing here does I/O: the clock and the
 * random source are options too, so tests can make every answer exact.
 */

import { EVENT_REQUESTS_PER_MINUTE } from "../api/events.js";
import { IDENTITY_REQUESTS_PER_MINUTE } from "../api/identities.js";
import { type Catalog, catalogProblems } from "./catalog.js";

/** A fixed-window request limit: `count` requests per token per `windowMs`. */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

/** How an over-limit request is refused: HTTP 429, or HTTP 200 with code 40401. */
export type OverLimitForm = "http429" | "code40401";
/** How an injected server error looks: HTTP 500, HTTP 200 with code 50000, or half of each. */
export type FailForm = "http500" | "code50000" | "both";
/** The unit of `X-Rate-Limit-Reset`: Unix seconds (API guide) or milliseconds (help centre). */
export type ResetUnit = "s" | "ms";
/**
 * How the rate-limit headers are spelled: `X-Rate-Limit-*` (the guide's table), `x-ratelimit-*`
 * (its curl examples), or left out.
 */
export type HeaderStyle = "hyphen" | "nohyphen" | "none";
export const HEADER_STYLES: readonly HeaderStyle[] = ["hyphen", "nohyphen", "none"];

export interface EmulatorOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The only `access_token` accepted. */
  readonly token: string;
  /** The only `service_id` accepted. */
  readonly serviceId: string;
  /** Registered properties; without one any property name is accepted. */
  readonly catalog: Catalog | undefined;
  /** Per-token limit; null disables limiting (and the X-Rate-Limit-* headers). */
  readonly limit: RateLimit | null;
  /** The events endpoint's own per-token limit, counted apart from `limit`; null disables it. */
  readonly eventLimit: RateLimit | null;
  /**
   * The identities API's own per-token limit (`/api/v1/identities` and `/api/v1/identities/delete`
   * share it), counted apart from `limit`; null disables it.
   */
  readonly identityLimit: RateLimit | null;
  readonly resetUnit: ResetUnit;
  readonly headerStyle: HeaderStyle;
  readonly overLimit: OverLimitForm;
  /** Share of requests answered with a server error, 0..1. */
  readonly failRate: number;
  readonly failAs: FailForm;
  /** Share of requests whose connection is destroyed without an answer, 0..1. */
  readonly resetRate: number;
  /** Delay before every answer. */
  readonly latencyMs: number;
  /** Uniform extra delay, 0..jitterMs. */
  readonly jitterMs: number;
  /** Append one NDJSON line per accepted request to this file. */
  readonly logFile: string | undefined;
  /** Keep accepted requests in memory for `store.list()` / `store.last()`; counts are always kept. */
  readonly remember: boolean;
  readonly now: () => number;
  readonly random: () => number;
}

export type EmulatorInit = Partial<EmulatorOptions>;

export const DEFAULT_LIMIT: RateLimit = { count: 10_000, windowMs: 60_000 };
export const DEFAULT_EVENT_LIMIT: RateLimit = {
  count: EVENT_REQUESTS_PER_MINUTE,
  windowMs: 60_000,
};

export const DEFAULT_IDENTITY_LIMIT: RateLimit = {
  count: IDENTITY_REQUESTS_PER_MINUTE,
  windowMs: 60_000,
};

export const DEFAULT_OPTIONS: EmulatorOptions = {
  host: "127.0.0.1",
  port: 0,
  token: "test-token",
  serviceId: "test-service",
  catalog: undefined,
  limit: DEFAULT_LIMIT,
  eventLimit: DEFAULT_EVENT_LIMIT,
  identityLimit: DEFAULT_IDENTITY_LIMIT,
  resetUnit: "s",
  headerStyle: "hyphen",
  overLimit: "http429",
  failRate: 0,
  failAs: "both",
  resetRate: 0,
  latencyMs: 0,
  jitterMs: 0,
  logFile: undefined,
  remember: true,
  now: Date.now,
  random: Math.random,
};

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
/** `X-Rate-Limit-Limit` names the period, spelled as the docs spell it (`1y 1M 1d 1H 1m 1s`). */
const PERIOD_LABELS: ReadonlyMap<number, string> = new Map([
  [1_000, "1s"],
  [60_000, "1m"],
  [3_600_000, "1H"],
  [86_400_000, "1d"],
]);

/** `"10000/m"` → `{count: 10000, windowMs: 60000}`. Units: `s`, `m`, `h` (or `H`), `d`. */
export function parseLimit(text: string): RateLimit {
  const match = /^([1-9]\d*)\/(s|m|h|H|d)$/.exec(text.trim());
  const count = Number(match?.[1]);
  const windowMs = UNIT_MS[match?.[2]?.toLowerCase() ?? ""];
  if (windowMs === undefined || !Number.isSafeInteger(count)) {
    throw new RangeError(`limit "${text}" is not COUNT/UNIT, e.g. 10000/m (units: s, m, h, d)`);
  }
  return { count, windowMs };
}

/** The `X-Rate-Limit-Limit` value for a window: `1s`, `1m`, `1H` or `1d`. */
export function periodLabel(windowMs: number): string {
  const label = PERIOD_LABELS.get(windowMs);
  if (label === undefined) throw new RangeError(`no period label for a ${windowMs} ms window`);
  return label;
}

export interface OptionProblem {
  readonly option: keyof EmulatorOptions;
  readonly message: string;
}

const isRate = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= 1;
const isDelay = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** Every problem with a set of options, so a caller can report them all at once. */
export function optionProblems(o: EmulatorOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const add = (option: keyof EmulatorOptions, message: string): void => {
    problems.push({ option, message });
  };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65_535) add("port", "must be 0..65535");
  if (o.host === "") add("host", "must not be empty");
  if (o.token === "") add("token", "must not be empty");
  if (o.serviceId === "") add("serviceId", "must not be empty");
  for (const option of ["limit", "eventLimit", "identityLimit"] as const) {
    const limit = o[option];
    if (limit === null) continue;
    if (!Number.isSafeInteger(limit.count) || limit.count < 1) {
      add(option, "count must be a positive integer");
    }
    if (!PERIOD_LABELS.has(limit.windowMs)) add(option, "window must be 1 s, 1 m, 1 h or 1 d");
  }
  if (o.resetUnit !== "s" && o.resetUnit !== "ms") add("resetUnit", "must be s or ms");
  if (!HEADER_STYLES.includes(o.headerStyle))
    add("headerStyle", "must be hyphen, nohyphen or none");
  if (o.overLimit !== "http429" && o.overLimit !== "code40401") {
    add("overLimit", "must be http429 or code40401");
  }
  if (!["http500", "code50000", "both"].includes(o.failAs)) {
    add("failAs", "must be http500, code50000 or both");
  }
  if (!isRate(o.failRate)) add("failRate", "must be a number from 0 to 1");
  if (!isRate(o.resetRate)) add("resetRate", "must be a number from 0 to 1");
  if (isRate(o.failRate) && isRate(o.resetRate) && o.failRate + o.resetRate > 1) {
    add("failRate", "fail rate plus reset rate must not exceed 1");
  }
  if (!isDelay(o.latencyMs)) add("latencyMs", "must be a number of milliseconds >= 0");
  if (!isDelay(o.jitterMs)) add("jitterMs", "must be a number of milliseconds >= 0");
  if (o.catalog !== undefined) {
    for (const message of catalogProblems(o.catalog)) add("catalog", message);
  }
  return problems;
}

/** Defaults filled in and checked; throws a RangeError listing every problem. */
export function resolveOptions(init: EmulatorInit = {}): EmulatorOptions {
  const options: EmulatorOptions = { ...DEFAULT_OPTIONS, ...init };
  const problems = optionProblems(options);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.option}: ${p.message}`);
    throw new RangeError(`invalid emulator options: ${lines.join("; ")}`);
  }
  return options;
}
