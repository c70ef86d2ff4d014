/**
 * `--group-by-identity`: the spilled rows, read back in identity order (spill.ts), assembled as
 * they would have been in file order. Each file keeps its own assembler, as when read in order
 * (identical events are counted within their file, an item group ends with its file), so an
 * event's id is the same whether or not its rows were regrouped. A file's assembler is flushed
 * when the rows move to another file: what it held open (an item group, all of whose rows came
 * together) ends there, before the rows after it.
 */
import type { Mapping } from "../mapping/types.js";
import { fileOf } from "./file-book.js";
import type { Assembler, Finished, Kind } from "./kind.js";
import type { Scratch } from "./scratch.js";
import type { Spilled } from "./spill.js";

export class Regroup<U> {
  readonly #kind: Kind<U>;
  readonly #mapping: Mapping | null;
  readonly #scratch: Scratch;
  /** The input's name, for a run of one file. */
  readonly #input: string;
  readonly #assemblers = new Map<number, Assembler<U>>();
  /** The file of the last row assembled. */
  #file: number | undefined;

  constructor(kind: Kind<U>, mapping: Mapping | null, input: string, scratch: Scratch) {
    this.#kind = kind;
    this.#input = input;
    this.#mapping = mapping;
    this.#scratch = scratch;
  }

  /** A row read back: what it finished (with what the file before held open, if it changed). */
  push(spilled: Spilled): readonly Finished<U>[] {
    const { row } = spilled;
    const file = fileOf(row.at);
    const before = this.#file === file ? [] : this.#flushFile();
    this.#file = file;
    let assembler = this.#assemblers.get(file);
    if (assembler === undefined) {
      assembler = this.#kind.assembler(this.#mapping, row.file ?? this.#input, this.#scratch);
      this.#assemblers.set(file, assembler);
    }
    if (spilled.kind === "unreadable") return [...before, ...assembler.unreadable(spilled.row)];
    const done = assembler.row(row, spilled.source);
    if (done === undefined) return before;
    return before.length === 0 ? [done] : [...before, done];
  }

  /** The end: what the last file's assembler held open. */
  flush(): readonly Finished<U>[] {
    const last = this.#flushFile();
    this.#file = undefined;
    return last;
  }

  #flushFile(): readonly Finished<U>[] {
    const file = this.#file;
    return file === undefined ? [] : (this.#assemblers.get(file)?.flush() ?? []);
  }
}
