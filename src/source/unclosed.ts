/**
 * What keeps reading linear after an unclosed quote. When one is cut (tokenizer.ts), its record's
 * first line is dead-lettered and the lines after it are read again. Read again from a later line,
 * a record that is inside quotes at the start of a line where the cut record was inside quotes
 * too is, from there on, read exactly as the cut record was (the same text, the same state): its
 * quote does not close either, and it meets the same end (the input's end, the size bound, or a bad
 * quote). So it is cut at once, for the same reason, instead of being read to that end again;
 * without this, a dump whose every line opens a quote would be read once per line.
 *
 * Holds the offsets (in the input) of the line starts inside quotes of the record being read, and
 * of the records cut, until reading passes them.
 */
export class UnclosedQuotes {
  #open: number[] = [];
  #cuts: { readonly lines: readonly number[]; next: number; readonly why: string }[] = [];

  /**
   * A line of the record being read starts at `at`, inside quotes: the reason a record cut earlier
   * was cut, when it was inside quotes there too.
   */
  openAt(at: number): string | undefined {
    this.#open.push(at);
    for (const cut of this.#cuts) {
      while (cut.next < cut.lines.length && (cut.lines[cut.next] as number) < at) cut.next++;
      if (cut.lines[cut.next] === at) return cut.why;
    }
    return undefined;
  }

  /** The record being read is cut, for `why`. */
  cut(why: string): void {
    if (this.#open.length > 0) this.#cuts.push({ lines: this.#open, next: 0, why });
    this.#open = [];
  }

  /** The record being read ends (a record, or a bad line). */
  recordEnds(): void {
    if (this.#open.length > 0) this.#open = [];
  }

  /** A record starts at `at`: the cut records wholly before it are forgotten. */
  passed(at: number): void {
    if (this.#cuts.length === 0) return;
    this.#cuts = this.#cuts.filter((cut) => (cut.lines[cut.lines.length - 1] as number) >= at);
  }
}
