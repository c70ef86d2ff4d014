import { UsageError } from "../errors.js";

/** A request rate: `count` requests per `windowMs`. */
export interface Rate {
  readonly count: number;
  readonly windowMs: number;
}

const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `10000/m`, `200/s`, `500000/h` → Rate. Throws a UsageError naming the flag otherwise. */
export function parseRate(text: string, flag = "--rate"): Rate {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([smh])\s*$/.exec(text);
  const unit = match === null ? undefined : UNITS[match[2] as string];
  const count = match === null ? Number.NaN : Number(match[1]);
  if (unit === undefined || !Number.isFinite(count) || count <= 0) {
    throw new UsageError(
      `${flag} expects requests per second, minute or hour, like 10000/m or 200/s; got "${text}"`,
    );
  }
  return { count, windowMs: unit };
}

export function formatRate(rate: Rate): string {
  const unit = rate.windowMs === 1_000 ? "s" : rate.windowMs === 60_000 ? "m" : "h";
  return `${rate.count}/${unit}`;
}
