import { RATE_LIMIT_HEADERS, resetToEpochMs } from "../api/dfinery.js";

/** What one response says of the token's rate-limit window. */
export interface RateInfo {
  /** The window's length in ms, from `X-Rate-Limit-Limit` (`1m` → 60000); undefined if absent. */
  readonly periodMs?: number;
  /** Requests left in this window. */
  readonly remaining?: number;
  /** When the window resets, epoch ms (`X-Rate-Limit-Reset` in seconds or ms). */
  readonly resetAtMs?: number;
}

const PERIOD_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  H: 3_600_000,
  h: 3_600_000,
  d: 86_400_000,
  M: 2_592_000_000,
  y: 31_536_000_000,
};

/** `1m` → 60000, `10s` → 10000; undefined for anything else. Case matters: `1M` is a month. */
export function parsePeriod(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([smHhdMy])\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = PERIOD_MS[match[2] as string];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

function header(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function nonNegativeNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the X-Rate-Limit-* headers; malformed values are left out, never guessed. */
export function parseRateHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): RateInfo {
  const limit = header(headers, RATE_LIMIT_HEADERS.limit);
  const periodMs = limit === undefined ? undefined : parsePeriod(limit);
  const remaining = nonNegativeNumber(header(headers, RATE_LIMIT_HEADERS.remaining));
  const reset = nonNegativeNumber(header(headers, RATE_LIMIT_HEADERS.reset));
  return {
    ...(periodMs === undefined ? {} : { periodMs }),
    ...(remaining === undefined ? {} : { remaining: Math.floor(remaining) }),
    ...(reset === undefined ? {} : { resetAtMs: resetToEpochMs(reset) }),
  };
}

/** `Retry-After` in seconds or as an HTTP date → ms to wait; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
