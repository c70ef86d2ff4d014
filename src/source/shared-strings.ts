/**
 * A workbook's shared strings, held compactly: Excel writes every distinct text of the workbook
 * once, in one table the cells refer to by number, and the whole table is needed while a sheet is
 * read. As JavaScript strings in an array, a short text costs about 90 bytes; here its UTF-8 bytes
 * are kept in one growing buffer with an offset each (a 20-byte e-mail: 24 bytes), and a text is
 * decoded when a cell asks for it.
 *
 * Past `bound` bytes (a million unique texts make 100 MB and more), the further texts go to a
 * temporary file instead, read back a text at a time: memory stays at the bound and 4 bytes a
 * text. The file is unlinked as soon as it is open, so nothing is left behind whatever ends the
 * process; `close()` releases it.
 */
import { closeSync, constants, openSync, readSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bytes of text held in memory before the rest goes to a temporary file. */
export const STRINGS_IN_MEMORY = 32 << 20;

/** Slots of the cache of texts asked for more than once, less one. */
const CACHE_MASK = (1 << 14) - 1;

/** Texts are appended to the file in writes of this many bytes. */
const WRITE_CHUNK = 1 << 16;

export class SharedStrings {
  readonly #bound: number;
  readonly #dir: string;
  #bytes = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  /** Where text i starts (in memory, then in the file after the bound); text i ends where i + 1 starts. */
  #starts = new Uint32Array(1 << 10);
  #count = 0;
  /** Past the bound: the file, and what is written to it (or still to be, in #pending). */
  #fd: number | undefined;
  #written = 0;
  #pending = Buffer.allocUnsafe(WRITE_CHUNK);
  #pendingUsed = 0;
  /** The file's path, where it could not be unlinked while open (Windows): removed on close. */
  #path: string | undefined;
  /** Texts asked for twice, by index modulo the cache's size; and the index last asked at each. */
  readonly #cached: (string | undefined)[] = new Array(CACHE_MASK + 1);
  readonly #cachedAt = new Int32Array(CACHE_MASK + 1).fill(-1);
  readonly #seenAt = new Int32Array(CACHE_MASK + 1).fill(-1);

  constructor(bound = STRINGS_IN_MEMORY, dir = tmpdir()) {
    this.#bound = bound;
    this.#dir = dir;
  }

  get size(): number {
    return this.#count;
  }

  push(text: string): void {
    const most = text.length * 3; // UTF-8 bytes of a UTF-16 code unit, at most
    this.#begin();
    if (this.#fd === undefined && this.#used + most <= this.#bound) {
      if (this.#used + most > this.#bytes.length) this.#grow(most);
      this.#used += this.#bytes.write(text, this.#used, "utf8");
    } else {
      this.#append(Buffer.from(text, "utf8"));
    }
    this.#end();
  }

  /** Pushes the text whose UTF-8 bytes are b[start, end), as they are. */
  pushBytes(b: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.#begin();
    if (this.#fd === undefined && this.#used + length <= this.#bound) {
      if (this.#used + length > this.#bytes.length) this.#grow(length);
      const bytes = this.#bytes;
      const at = this.#used - start;
      if (length < 64) for (let i = start; i < end; i++) bytes[at + i] = b[i] as number;
      else bytes.set(b.subarray(start, end), this.#used);
      this.#used += length;
    } else {
      this.#append(b.subarray(start, end));
    }
    this.#end();
  }

  /**
   * Text i, or undefined when the table has no such text. A text asked for a second time is kept
   * as a string in a small cache (the grades and names a sheet repeats are decoded once); a text
   * asked for once (a column of unique e-mails) is never kept.
   */
  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.#count) return undefined;
    const slot = i & CACHE_MASK;
    if (this.#cachedAt[slot] === i) return this.#cached[slot];
    const text = this.#decode(i);
    if (this.#seenAt[slot] === i) {
      this.#cachedAt[slot] = i;
      this.#cached[slot] = text;
    } else {
      this.#seenAt[slot] = i;
    }
    return text;
  }

  #decode(i: number): string {
    const start = this.#starts[i] as number;
    const end = this.#starts[i + 1] as number;
    if (start < this.#used) return this.#bytes.toString("utf8", start, end);
    this.#flush();
    const text = Buffer.allocUnsafe(end - start);
    readSync(this.#fd as number, text, 0, text.length, start - this.#used);
    return text.toString("utf8");
  }

  #begin(): void {
    if (this.#count + 1 >= this.#starts.length) {
      const starts = new Uint32Array(this.#starts.length * 2);
      starts.set(this.#starts);
      this.#starts = starts;
    }
    this.#starts[this.#count] = this.#used + this.#written + this.#pendingUsed;
  }

  #end(): void {
    this.#count++;
    this.#starts[this.#count] = this.#used + this.#written + this.#pendingUsed;
  }

  /** Releases the temporary file, if there is one (idempotent). */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#path !== undefined) rmSync(this.#path, { force: true });
    this.#path = undefined;
  }

  #grow(most: number): void {
    const size = Math.min(Math.max(this.#bytes.length * 2, this.#used + most), this.#bound);
    const bytes = Buffer.allocUnsafe(size);
    this.#bytes.copy(bytes, 0, 0, this.#used);
    this.#bytes = bytes;
  }

  #append(bytes: Uint8Array): void {
    if (this.#fd === undefined) {
      const { fd, path } = openUnlinked(this.#dir);
      this.#fd = fd;
      this.#path = path;
    }
    if (this.#pendingUsed + bytes.length > this.#pending.length) this.#flush();
    if (bytes.length > this.#pending.length) {
      this.#written += writeSync(this.#fd, bytes, 0, bytes.length, this.#written);
      return;
    }
    this.#pending.set(bytes, this.#pendingUsed);
    this.#pendingUsed += bytes.length;
  }

  #flush(): void {
    if (this.#pendingUsed === 0 || this.#fd === undefined) return;
    writeSync(this.#fd, this.#pending, 0, this.#pendingUsed, this.#written);
    this.#written += this.#pendingUsed;
    this.#pendingUsed = 0;
  }
}

/**
 * A new private file in `dir`, open for reading and writing, already unlinked (POSIX keeps it while
 * it is open: gone with the process however it ends); `path` where that is refused (Windows).
 */
function openUnlinked(dir: string): { fd: number; path: string | undefined } {
  const name = `dfinery-import-strings-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const path = join(dir, name);
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    unlinkSync(path);
    return { fd, path: undefined };
  } catch {
    return { fd, path };
  }
}
