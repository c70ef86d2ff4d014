import { resetToEpochMs } from "../api/dfinery.js";

/** What one response says of the token's rate-limit window. */
export interface RateInfo {
  /** The window's length in ms, from the limit header (`1m` → 60000); undefined if absent. */
  readonly periodMs?: number;
  /** Requests left in this window. */
  readonly remaining?: number;
  /** When the window resets, epoch ms (the reset header in seconds or ms). */
  readonly resetAtMs?: number;
}

/**
 * The periods the API guide lists: `1y`, `1M`, `1d`, `1H`, `1m`, `1s`, "upper or lower case".
 * `M` and `m` cannot both be read case-insensitively: `M` is a month, `m` a minute, as in the guide.
 */
const PERIOD_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  S: 1_000,
  m: 60_000,
  H: 3_600_000,
  h: 3_600_000,
  d: 86_400_000,
  D: 86_400_000,
  M: 2_592_000_000,
  y: 31_536_000_000,
  Y: 31_536_000_000,
};

/** `1m` → 60000, `10s` → 10000, `1D` → 86400000; undefined for anything else. `1M` is a month. */
export function parsePeriod(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([sSmHhdDMyY])\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = PERIOD_MS[match[2] as string];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The three rate-limit headers, whatever their spelling: the guide's table says
 * `X-Rate-Limit-Limit`, its curl examples `x-ratelimit-limit`; either case.
 */
function rateHeaders(headers: Headers): { limit?: string; remaining?: string; reset?: string } {
  const found: { limit?: string; remaining?: string; reset?: string } = {};
  for (const name of Object.keys(headers)) {
    if (name.length < 16 || (name.charCodeAt(0) | 0x20) !== 0x78) continue; // not x-…: fast path
    const match = /^x-rate-?limit-(limit|remaining|reset)$/i.exec(name);
    if (match === null) continue;
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    const which = (match[1] as string).toLowerCase() as "limit" | "remaining" | "reset";
    if (text !== undefined) found[which] ??= text;
  }
  return found;
}

function nonNegativeNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What an answer without the headers says of the window: nothing. */
const NONE: RateInfo = Object.freeze({});

/** Reads the rate-limit headers (both spellings); malformed values are left out, never guessed. */
export function parseRateHeaders(headers: Headers): RateInfo {
  const found = rateHeaders(headers);
  if (found.limit === undefined && found.remaining === undefined && found.reset === undefined)
    return NONE; // an API without the headers (or the emulator unlimited): nothing said
  const periodMs = found.limit === undefined ? undefined : parsePeriod(found.limit);
  const remaining = nonNegativeNumber(found.remaining);
  const reset = nonNegativeNumber(found.reset);
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
