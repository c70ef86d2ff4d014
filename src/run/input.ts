import type { MappingSource } from "../mapping/types.js";
import { readSource } from "../source/read.js";
import type { SourceItem, SourceOptions } from "../source/types.js";
import type { InputConfig } from "./config.js";
import { checkHeadersAgree } from "./headers.js";

/**
 * A run's inputs, one file after the other: each file's items after a `file` item that names it.
 * `index` is the file's place in name order (what its rows' `at` are numbered from).
 */
export type InputItem =
  | SourceItem
  | { readonly kind: "file"; readonly file: string; readonly index: number };

export interface OpenInputs {
  readonly stdin: NodeJS.ReadableStream | undefined;
  readonly signal: AbortSignal;
  /** With --state: whether the `index`-th file is not read (finished before, unchanged since). */
  readonly skip: (index: number) => boolean;
  /** Told of each file skipped. */
  readonly onSkip: (file: string) => void;
}

/**
 * A run's records: every input file read as its config and the mapping's `source` layout say (none
 * without a mapping: a dead-letter file replayed). Every kind reads through this: the one place
 * where the run's settings become the reader's options. Of several CSV/TSV files, every header is
 * read before the first row is given, and they must agree (InputError otherwise: before any request).
 */
export function openInputs(
  config: InputConfig,
  layout: MappingSource | undefined,
  open: OpenInputs,
): AsyncIterableIterator<InputItem> {
  return new Inputs(config.inputs.files, readerOptions(config, layout, open), open);
}

const END: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The files one after the other. The last file's items are its reader's own results, passed on as
 * they come: no promise more per row (an async generator's `yield*` made two, and as many turns of
 * the microtask queue, for every row of every file).
 */
class Inputs implements AsyncIterableIterator<InputItem> {
  readonly #files: readonly string[];
  readonly #options: Omit<SourceOptions, "input">;
  readonly #open: OpenInputs;
  #index = -1;
  #file: AsyncGenerator<SourceItem> | undefined;

  constructor(files: readonly string[], options: Omit<SourceOptions, "input">, open: OpenInputs) {
    this.#files = files;
    this.#options = options;
    this.#open = open;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<InputItem>> {
    const file = this.#file;
    if (file === undefined) return this.#nextFile();
    if (this.#index === this.#files.length - 1) return file.next();
    return file.next().then((read) => (read.done === true ? this.#nextFile() : read));
  }

  async return(): Promise<IteratorResult<InputItem>> {
    this.#index = this.#files.length; // no file after this
    const file = this.#file;
    this.#file = undefined;
    await file?.return(undefined);
    return END;
  }

  /** The next file's item (the file skipped with --state are told and passed), or the end. */
  async #nextFile(): Promise<IteratorResult<InputItem>> {
    const files = this.#files;
    const open = this.#open;
    if (this.#index === -1 && files.length > 1) await checkHeadersAgree(files, this.#options);
    this.#file = undefined;
    for (;;) {
      const index = ++this.#index;
      const file = files[index];
      if (file === undefined || open.signal.aborted) {
        this.#index = files.length;
        return END;
      }
      if (open.skip(index)) {
        open.onSkip(file);
        continue;
      }
      this.#file = readSource({ ...this.#options, input: file });
      return { done: false, value: { kind: "file", file, index } };
    }
  }
}

/** What every file is read with: the command line's settings over the mapping's layout. */
function readerOptions(
  config: InputConfig,
  layout: MappingSource | undefined,
  open: OpenInputs,
): Omit<SourceOptions, "input"> {
  const { format } = config;
  const encoding = config.encoding ?? layout?.encoding;
  const delimiter = config.delimiter ?? layout?.delimiter;
  const sheet = config.sheet ?? layout?.sheet;
  return {
    format,
    signal: open.signal,
    ...(layout === undefined ? {} : { header: layout.header }),
    ...(layout?.columns === undefined ? {} : { columns: layout.columns }),
    ...(layout?.dialect === undefined ? {} : { dialect: layout.dialect }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(sheet === undefined ? {} : { sheet }),
    ...(open.stdin === undefined ? {} : { stdin: open.stdin }),
  };
}
