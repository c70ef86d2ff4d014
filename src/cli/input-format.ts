import { UsageError } from "../errors.js";
import type { Mapping } from "../mapping/types.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import type { CliOptions } from "./args.js";

/**
 * The input's format: --format, else the mapping's `source.format`, else the file name's
 * extension. Without a mapping the input is a dead-letter file: NDJSON.
 */
export function inputFormat(options: CliOptions, mapping: Mapping | null): SourceFormat {
  const format =
    options.format ??
    mapping?.source.format ??
    (mapping === null ? "ndjson" : detectFormat(options.input));
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of ${options.input} from its name: pass --format csv|tsv|ndjson (or source.format in the mapping)`,
    );
  }
  return format;
}
