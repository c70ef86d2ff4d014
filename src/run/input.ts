import type { MappingSource } from "../mapping/types.js";
import { readSource } from "../source/read.js";
import type { SourceFormat, SourceItem } from "../source/types.js";

/** What a run reads, as the command line settles it (the mapping's `source` section aside). */
export interface InputOptions {
  readonly input: string;
  readonly format: SourceFormat;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** CSV: a quoted cell open for more lines is an unclosed quote (source/quote-guard.ts). */
  readonly maxCellLines?: number;
}

/**
 * A run's records: the input read as its options and the mapping's `source` layout say (none
 * without a mapping: a dead-letter file replayed). Both commands read through this.
 */
export function openInput(
  options: InputOptions,
  layout: MappingSource | undefined,
  stdin: NodeJS.ReadableStream | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourceItem> {
  const { input, format, encoding, delimiter, maxCellLines } = options;
  return readSource({
    input,
    format,
    ...(layout === undefined ? {} : { header: layout.header }),
    ...(layout?.columns === undefined ? {} : { columns: layout.columns }),
    ...(layout?.dialect === undefined ? {} : { dialect: layout.dialect }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(maxCellLines === undefined ? {} : { maxCellLines }),
    ...(stdin === undefined ? {} : { stdin }),
    signal,
  });
}
