import type { MappingSource } from "../mapping/types.js";
import { delimiterOf, readSourceBatches } from "../source/read.js";
import type { SourceItem, SourceOptions } from "../source/types.js";
import type { InputConfig } from "./config.js";
import type { KnownItem } from "./diff-wire.js";
import { checkHeadersAgree } from "./headers.js";

/**
 * A run's inputs, one file after the other: each file's items after a `file` item that names it.
 * `index` is the file's place in name order (what its rows' `at` are numbered from). A file read
 * on the diff's worker gives its known rows as `known` items (diff-source.ts), not as rows.
 */
export type InputItem =
  | SourceItem
  | { readonly kind: "file"; readonly file: string; readonly index: number }
  | KnownItem;

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
 * without a mapping: a dead-letter file replayed), in batches as each file's reader gives them
 * (readSourceBatches), a file's batches after a batch of its `file` item. Every kind reads through
 * this: the one place where the run's settings become the reader's options. Of several CSV/TSV
 * files, every header is read before the first row is given, and they must agree (InputError
 * otherwise: before any request).
 */
export async function* openInputs(
  config: InputConfig,
  layout: MappingSource | undefined,
  open: OpenInputs,
): AsyncGenerator<readonly InputItem[]> {
  const options = readerOptions(config, layout, open);
  const { files } = config.inputs;
  if (files.length > 1) await checkHeadersAgree(files, options);
  for (const [index, file] of files.entries()) {
    if (open.signal.aborted) return;
    if (open.skip(index)) {
      open.onSkip(file);
      continue;
    }
    yield [{ kind: "file", file, index }];
    yield* readSourceBatches({ ...options, input: file });
  }
}

/**
 * The delimiter a CSV/TSV file is read with: the command line's, the mapping's, or its format's
 * (readerOptions' and readSourceBatches'). The row keys write texts with it (state/row-key.ts).
 */
export function csvDelimiter(config: InputConfig, layout: MappingSource | undefined): string {
  return delimiterOf(config.format, config.delimiter ?? layout?.delimiter);
}

/** What every file is read with: the command line's settings over the mapping's layout. */
export function readerOptions(
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
