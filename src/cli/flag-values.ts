/** The readers of flag values: each throws a UsageError naming the flag and what it expects. */
import { UsageError } from "../errors.js";

export function integer(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} expects a whole number ≥ ${min}; got "${text}"`);
  }
  return n;
}

/** A share above 0 and at most 1, like 0.5. */
export function share(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new UsageError(`${flag} expects a share above 0 and at most 1, like 0.5; got "${text}"`);
  }
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `30s`, `10m`, `2h`, `1d`, `500ms` → ms. Throws a UsageError naming the flag otherwise. */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  const ms =
    match === null ? Number.NaN : Number(match[1]) * (DURATION_UNITS[match[2] as string] ?? 0);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${flag} expects a duration like 30s, 10m or 2h; got "${text}"`);
  }
  return Math.round(ms);
}

/** The longest --batch-wait: a user's events held longer gain nothing, and hold memory. */
const MAX_BATCH_WAIT_MS = 3_600_000;

export function batchWait(text: string): number {
  const ms = parseDuration(text, "--batch-wait");
  if (ms > MAX_BATCH_WAIT_MS) throw new UsageError(`--batch-wait is at most 1h; got "${text}"`);
  return ms;
}

/** The longest --keep-events, 100 years: to keep every event, the flag is left out. */
const MAX_KEEP_EVENTS_MS = 36_500 * 86_400_000;

export function keepWindow(text: string): number {
  const ms = parseDuration(text, "--keep-events");
  if (ms <= 0) {
    throw new UsageError(
      `--keep-events must be longer than 0 (it would forget every event at once); got "${text}"`,
    );
  }
  if (ms > MAX_KEEP_EVENTS_MS) {
    throw new UsageError(
      `--keep-events is at most 36500d (to keep every event, leave it out); got "${text}"`,
    );
  }
  return ms;
}

/** One of `choices`, as `--flag expects csv, tsv or ndjson`. */
export function oneOf<T extends string>(text: string, flag: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  const list = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
  throw new UsageError(`${flag} expects ${list}; got "${text}"`);
}

/** One character; `tab` or `\t` for a tab. */
export function delimiter(text: string): string {
  const c = text === "\\t" || text.toLowerCase() === "tab" ? "\t" : text;
  if (c.length !== 1) {
    throw new UsageError(`--delimiter expects one character (or "tab"); got "${text}"`);
  }
  return c;
}

export function endpoint(text: string): string {
  if (!/^https?:\/\/[^/]/.test(text) || !URL.canParse(text)) {
    // URL.canParse: a port beyond 65535 or a bad host is a usage error, not a crash later on.
    throw new UsageError(`--endpoint expects an http(s) URL; got "${text}"`);
  }
  return text;
}
