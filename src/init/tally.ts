/**
 * The dry run `init` makes of its draft on the sample, told the same way for profiles and events:
 * how many rows are valid and not, the columns that fail most, and the reasons by code.
 */
import type { RowFailure } from "../errors.js";
import { FailingColumns, formatFailingColumn } from "../sinks/failing-columns.js";

export class DryRunTally {
  #valid = 0;
  readonly #failing = new FailingColumns();
  readonly #codes = new Map<string, number>();

  get valid(): number {
    return this.#valid;
  }

  pass(rows = 1): void {
    this.#valid += rows;
  }

  fail(failure: RowFailure): void {
    this.#codes.set(failure.code, (this.#codes.get(failure.code) ?? 0) + 1);
    if (failure.errors !== undefined) this.#failing.add(failure.errors);
  }

  /** The summary's lines for `rows` rows read, `unreadable` of them not at all. */
  lines(rows: number, unreadable: number, counted = ""): string[] {
    const n = (x: number) => x.toLocaleString("en-US");
    const lines = [
      `dry run of the draft on the first ${n(rows)} rows: ${n(this.#valid)} valid, ${n(rows - this.#valid)} not${counted}`,
    ];
    const top = this.#failing.top();
    if (top.length > 0)
      lines.push("top failing columns:", ...top.map((f) => `  ${formatFailingColumn(f)}`));
    const reasons = [...this.#codes].sort((a, b) => b[1] - a[1]).map(([code, k]) => `${code} ${k}`);
    if (unreadable > 0) reasons.push(`unreadable ${unreadable}`);
    if (reasons.length > 0) lines.push(`reasons: ${reasons.join(", ")}`);
    return lines;
  }
}
