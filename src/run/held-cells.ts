/**
 * A batch's known rows' cells as the diff worker (diff-worker.ts) keeps them until the run's
 * thread has stepped the batch: in case one must be mapped after all (its identity touched since,
 * a resumed pass's done row, the canary's). Kept as their texts' code units in one typed array,
 * outside the JS heap, not as a row object and its strings a row: those lived through the ~10
 * young collections a batch takes to be stepped and were promoted, ~270 MB a million rows, and
 * the worker spent a third of its time collecting them (bench/README.md). A young collection
 * neither scans nor copies a typed array's bytes.
 *
 * Rows of the batch's shape (the same names in the same order, each cell a text or null: every
 * CSV row of a file) are written; any other row is kept as itself; a line taken whole
 * (known-lines.ts) is written as its text. `cells()` gives back rows equal to those added: the
 * same names in the same order, the same texts code unit for code unit (a line's, as its reader
 * would have read it).
 *
 * Lines taken one after another in a text are written together, the line breaks (and any line
 * not taken) between them too, in one call once the run ends (or `settle` is called): written a
 * code unit at a time, they cost ~150 ns a line, most of the worker's bookkeeping of a taken line.
 */
type Cells = Readonly<Record<string, unknown>>;

/** Code units given to String.fromCharCode at once (its arguments are on the stack). */
const CHUNK = 8_192;
/** The most code units between two lines that are written with them, as one run (`addSpan`). */
const MAX_GAP = 254;

export class HeldCells {
  /** The names of the rows written, in their order (the first row's). */
  #names: readonly string[] | undefined;
  /** The cells' code units, end to end (`#used` of them, the run not yet written included). */
  #units = new Uint16Array(1 << 16);
  #used = 0;
  /** `#units` as bytes, to write a run of lines into in one call. */
  #bytes = Buffer.from(this.#units.buffer);
  /**
   * The run of lines not yet written: `#runText` from `#runStart` to `#runEnd`, its code units
   * to be written from `#runAt` on.
   */
  #runText: string | undefined;
  #runStart = 0;
  #runEnd = 0;
  #runAt = 0;
  /** Each written cell's length in code units, -1 for null: `#names.length` a row. */
  #lengths = new Int32Array(1 << 12);
  #cells = 0;
  /** Rows added, and those not of the shape, by their index among them. */
  #rows = 0;
  #odd: Map<number, Cells> | undefined;
  /**
   * A byte a row: 0 for cells; for a line taken whole (`addSpan`: its code units, one length), 1
   * and the code units between the previous line's and its own (in a run).
   */
  #lines = new Uint8Array(1 << 12);

  /** Empties it, to be used again (its arrays kept). */
  clear(): void {
    this.#names = undefined;
    this.#used = 0;
    this.#cells = 0;
    this.#rows = 0;
    this.#odd = undefined;
    this.#runText = undefined;
  }

  add(cells: Cells): void {
    this.#writeRun();
    this.#names ??= shapeOf(cells);
    const names = this.#names;
    const row = this.#row(0);
    if (names === undefined || !this.#write(cells, names)) {
      this.#odd ??= new Map();
      this.#odd.set(row, cells);
    }
  }

  /**
   * A row as the line it was read from, `text` from `start` to `end` (known-lines.ts): its code
   * units written as a cell's are (holding the chunks they are in instead took the peak RSS ~20 MB
   * higher for no CPU saved), its cells made of it when asked.
   */
  addSpan(text: string, start: number, end: number): void {
    const gap = start - this.#runEnd;
    if (text === this.#runText && gap >= 0 && gap <= MAX_GAP) {
      this.#row(1 + gap); // the run goes on, the units between the lines with it
      this.#runEnd = end;
      this.#used += gap + end - start;
    } else {
      this.#writeRun();
      this.#row(1);
      this.#runText = text;
      this.#runStart = start;
      this.#runEnd = end;
      this.#runAt = this.#used;
      this.#used += end - start;
    }
    if (this.#cells + 1 > this.#lengths.length)
      this.#lengths = grown(this.#lengths, this.#cells, 1);
    this.#lengths[this.#cells++] = end - start;
  }

  /**
   * Writes the run of lines not yet written: the rows are all added (their batch is posted), and
   * the text the run is in is not kept while they are held.
   */
  settle(): void {
    this.#writeRun();
  }

  /** The rows added, in order; a line's cells made by `ofLine`. */
  cells(ofLine?: (line: string) => Cells): Cells[] {
    this.#writeRun(); // if not settled
    const all: Cells[] = [];
    const names = this.#names ?? [];
    const units = this.#units;
    const lengths = this.#lengths;
    let at = 0;
    let cell = 0;
    for (let row = 0; row < this.#rows; row++) {
      const kind = this.#lines[row] as number;
      if (kind !== 0) {
        at += kind - 1; // the units between it and the line before it
        const length = lengths[cell++] as number;
        const line = text(units, at, at + length);
        at += length;
        if (ofLine === undefined) throw new Error("a line held, and no way to read it given");
        all.push(ofLine(line));
        continue;
      }
      const odd = this.#odd?.get(row);
      if (odd !== undefined) {
        all.push(odd);
        continue;
      }
      const cells: Record<string, unknown> = {};
      for (const name of names) {
        const length = lengths[cell++] as number;
        if (length < 0) {
          cells[name] = null;
          continue;
        }
        cells[name] = text(units, at, at + length);
        at += length;
      }
      all.push(cells);
    }
    return all;
  }

  /** Writes a row of the shape `names`; false (nothing written) for a row of another shape. */
  #write(cells: Cells, names: readonly string[]): boolean {
    const used = this.#used;
    const counted = this.#cells;
    if (counted + names.length > this.#lengths.length)
      this.#lengths = grown(this.#lengths, counted, names.length);
    let i = 0;
    for (const name in cells) {
      const value = cells[name];
      if (names[i] !== name || (typeof value !== "string" && value !== null)) {
        i = -1; // another name, a name more, or a value of another kind
        break;
      }
      if (value === null) {
        this.#lengths[this.#cells++] = -1;
      } else {
        this.#put(value);
        this.#lengths[this.#cells++] = value.length;
      }
      i++;
    }
    if (i === names.length) return true;
    this.#used = used; // another shape: kept as itself
    this.#cells = counted;
    return false;
  }

  /** A new row's index, of kind `kind` (0: cells; else a line, see `#lines`). */
  #row(kind: number): number {
    const row = this.#rows++;
    if (row >= this.#lines.length) this.#lines = grown(this.#lines, row, 1);
    this.#lines[row] = kind;
    return row;
  }

  /** Writes the run of lines not yet written, if any, in one call. */
  #writeRun(): void {
    const text = this.#runText;
    if (text === undefined) return;
    this.#runText = undefined;
    const at = this.#runAt;
    const length = this.#runEnd - this.#runStart;
    if (at + length > this.#units.length) this.#units = grown(this.#units, at, length);
    if (this.#bytes.buffer !== this.#units.buffer) this.#bytes = Buffer.from(this.#units.buffer);
    this.#bytes.write(text.slice(this.#runStart, this.#runEnd), 2 * at, 2 * length, "utf16le");
  }

  /** Writes the code units of `text` after those used (grown if need be). */
  #put(text: string): void {
    if (this.#used + text.length > this.#units.length) {
      this.#units = grown(this.#units, this.#used, text.length);
    }
    const units = this.#units;
    let at = this.#used;
    for (let c = 0; c < text.length; c++) units[at++] = text.charCodeAt(c);
    this.#used = at;
  }
}

/** A row's names, if rows of its shape can be written (no `__proto__`, which assignment skips). */
function shapeOf(cells: Cells): readonly string[] | undefined {
  const names: string[] = [];
  for (const name in cells) names.push(name);
  return names.includes("__proto__") ? undefined : names;
}

function grown<T extends Uint8Array | Uint16Array | Int32Array>(
  array: T,
  used: number,
  more = 0,
): T {
  const bigger = new (array.constructor as new (length: number) => T)(
    Math.max(array.length * 2, used + more),
  );
  bigger.set(array.subarray(0, used));
  return bigger;
}

function text(units: Uint16Array, from: number, to: number): string {
  if (to - from <= CHUNK) return String.fromCharCode.apply(null, units.subarray(from, to) as never);
  let all = "";
  for (let at = from; at < to; at += CHUNK) all += text(units, at, Math.min(to, at + CHUNK));
  return all;
}
