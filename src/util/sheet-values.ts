/**
 * Cell values of a workbook that are neither text nor a number: a date cell (a wall-clock time,
 * as Excel holds it: no time zone) and an error cell (`#N/A`). The source yields them as they are,
 * so that the mapping can read a date cell as a Date or a Datetime whatever its display format,
 * and refuse an error cell by name instead of sending its text.
 */

/** A date cell: the calendar date and time of day Excel shows, in no time zone. */
export class SheetDate {
  #text: string | undefined;

  constructor(
    /** Milliseconds since 1970-01-01T00:00:00 of the wall-clock reading, as if it were UTC. */
    readonly wallMs: number,
  ) {}

  /** `2024-03-01` at midnight, else `2024-03-01T09:30:00` (`.250` with milliseconds). */
  get text(): string {
    if (this.#text === undefined) {
      const iso = new Date(this.wallMs).toISOString(); // years 1900-9999: a workbook's range
      if (iso.endsWith("T00:00:00.000Z")) this.#text = iso.slice(0, 10);
      else if (iso.endsWith(".000Z")) this.#text = iso.slice(0, 19);
      else this.#text = iso.slice(0, 23);
    }
    return this.#text;
  }

  /** The calendar date: `2024-03-01`. */
  get day(): string {
    return this.text.slice(0, 10);
  }

  /** The date and time, always with a time: `2024-03-01T00:00:00`. */
  get dateTime(): string {
    return this.text.length === 10 ? `${this.text}T00:00:00` : this.text;
  }

  /** In JSON (dead letters, samples): its text. */
  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/** An error cell: the formula's cached result is an error such as `#N/A` or `#DIV/0!`. */
export class SheetError {
  constructor(readonly code: string) {}

  toJSON(): string {
    return this.code;
  }

  toString(): string {
    return this.code;
  }
}
