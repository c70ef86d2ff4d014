/**
 * A workbook's shared strings, held compactly: Excel writes every distinct text of the workbook
 * once, in one table the cells refer to by number, and the whole table is needed while a sheet is
 * read. As JavaScript strings in an array, a short text costs about 90 bytes; here its UTF-8 bytes
 * are kept in one growing buffer with an offset each (a 20-byte e-mail: 24 bytes), and a text is
 * decoded when a cell asks for it.
 */
export class SharedStrings {
  #bytes = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  /** Where text i starts in #bytes; text i ends where text i + 1 starts. */
  #starts = new Uint32Array(1 << 10);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  push(text: string): void {
    if (this.#count + 1 >= this.#starts.length) {
      const starts = new Uint32Array(this.#starts.length * 2);
      starts.set(this.#starts);
      this.#starts = starts;
    }
    const most = text.length * 3; // UTF-8 bytes of a UTF-16 code unit, at most
    if (this.#used + most > this.#bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#used + most));
      this.#bytes.copy(bytes, 0, 0, this.#used);
      this.#bytes = bytes;
    }
    this.#starts[this.#count] = this.#used;
    this.#used += this.#bytes.write(text, this.#used, "utf8");
    this.#count++;
    this.#starts[this.#count] = this.#used;
  }

  /** Text i, or undefined when the table has no such text. */
  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.#count) return undefined;
    return this.#bytes.toString("utf8", this.#starts[i], this.#starts[i + 1]);
  }
}
