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
 */
type Cells = Readonly<Record<string, unknown>>;

/** Code units given to String.fromCharCode at once (its arguments are on the stack). */
const CHUNK = 8_192;

export class HeldCells {
  /** The names of the rows written, in their order (the first row's). */
  #names: readonly string[] | undefined;
  /** The cells' code units, end to end. */
  #units = new Uint16Array(1 << 16);
  #used = 0;
  /** Each written cell's length in code units, -1 for null: `#names.length` a row. */
  #lengths = new Int32Array(1 << 12);
  #cells = 0;
  /** Rows added, and those not of the shape, by their index among them. */
  #rows = 0;
  #odd: Map<number, Cells> | undefined;
  /** A byte a row: 1 for a line taken whole (`addSpan`: its code units, one length). */
  #lines = new Uint8Array(1 << 12);

  /** Empties it, to be used again (its arrays kept). */
  clear(): void {
    this.#names = undefined;
    this.#used = 0;
    this.#cells = 0;
    this.#rows = 0;
    this.#odd = undefined;
  }

  add(cells: Cells): void {
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
    this.#row(1);
    if (this.#cells + 1 > this.#lengths.length)
      this.#lengths = grown(this.#lengths, this.#cells, 1);
    this.#put(text, start, end);
    this.#lengths[this.#cells++] = end - start;
  }

  /** The rows added, in order; a line's cells made by `ofLine`. */
  cells(ofLine?: (line: string) => Cells): Cells[] {
    const all: Cells[] = [];
    const names = this.#names ?? [];
    const units = this.#units;
    const lengths = this.#lengths;
    let at = 0;
    let cell = 0;
    for (let row = 0; row < this.#rows; row++) {
      if (this.#lines[row] === 1) {
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

  /** A new row's index, of kind `line` (1: a line). */
  #row(line: 0 | 1): number {
    const row = this.#rows++;
    if (row >= this.#lines.length) this.#lines = grown(this.#lines, row, 1);
    this.#lines[row] = line;
    return row;
  }

  /** Writes the code units of `text` from `start` to `end` after those used (grown if need be). */
  #put(text: string, start = 0, end = text.length): void {
    if (this.#used + end - start > this.#units.length) {
      this.#units = grown(this.#units, this.#used, end - start);
    }
    const units = this.#units;
    let at = this.#used;
    for (let c = start; c < end; c++) units[at++] = text.charCodeAt(c);
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
