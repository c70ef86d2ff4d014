import type { RateWait } from "./pacer.js";

/** A pause for the rate limit longer than this is told (a warn log line, and stderr). */
export const NOTICE_AFTER_MS = 5_000;

/** The latest instant a Date can hold; a reset beyond it (`1e300`) is shown as this. */
const MAX_DATE_MS = 8.64e15;

const pad = (n: number, width = 2) => String(Math.trunc(n)).padStart(width, "0");

/** An instant as ISO-8601 UTC and as local time with its offset (`2026-11-29 21:00:00 +09:00`). */
export function instantText(ms: number): { readonly iso: string; readonly local: string } {
  const date = new Date(Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_DATE_MS) : MAX_DATE_MS);
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const local =
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ` +
    `${sign}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
  return { iso: date.toISOString(), local };
}

/** `3 s`, `12 min`, `5 h 3 min`, `2 d 4 h`: a wait in the largest units that say it. */
export function waitLength(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return d > 3650 ? "over ten years" : `${d} d ${h % 24} h`;
}

const WHY: Readonly<Record<RateWait["reason"], string>> = {
  "rate-limited": "the API answered that the rate limit is exceeded (429 / 40401)",
  "quota-spent": "the API's rate-limit headers say the quota is spent",
  "retry-after": "the API asked to retry a failed request after that (Retry-After)",
};

function why(wait: RateWait): string {
  return WHY[wait.reason];
}

/** The line told when a pause starts: until when, and why. */
export function waitNotice(wait: RateWait, nowMs: number): string {
  const { iso, local } = instantText(wait.untilMs);
  return `waiting ${waitLength(wait.untilMs - nowMs)} for the rate limit, until ${iso} (${local} local): ${why(wait)}`;
}

/** Why the run stopped rather than wait: the quota is spent until when, and what to do. */
export function waitStopMessage(wait: RateWait, maxWaitMs: number): string {
  const { iso, local } = instantText(wait.untilMs);
  const what =
    wait.reason === "retry-after"
      ? "the API asked to wait before retrying until"
      : "the rate-limit quota is spent until";
  return (
    `${what} ${iso} (${local} local), a wait beyond --max-wait ` +
    `${waitLength(maxWaitMs)} (${why(wait)}): stopped; run again after that time ` +
    "(with --state, --resume continues where this run stopped)"
  );
}
