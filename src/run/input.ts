import type { MappingSource } from "../mapping/types.js";
import { readSource } from "../source/read.js";
import type { SourceItem } from "../source/types.js";
import type { InputConfig } from "./config.js";

/**
 * A run's records: the input read as its config and the mapping's `source` layout say (none
 * without a mapping: a dead-letter file replayed). Every kind reads through this: the one place
 * where the run's settings become the reader's options.
 */
export function openInput(
  config: InputConfig,
  layout: MappingSource | undefined,
  stdin: NodeJS.ReadableStream | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourceItem> {
  const { input, format } = config;
  const encoding = config.encoding ?? layout?.encoding;
  const delimiter = config.delimiter ?? layout?.delimiter;
  return readSource({
    input,
    format,
    signal,
    ...(layout === undefined ? {} : { header: layout.header }),
    ...(layout?.columns === undefined ? {} : { columns: layout.columns }),
    ...(layout?.dialect === undefined ? {} : { dialect: layout.dialect }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(stdin === undefined ? {} : { stdin }),
  });
}
