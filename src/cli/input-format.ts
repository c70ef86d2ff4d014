import { UsageError } from "../errors.js";
import type { Mapping } from "../mapping/types.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import type { CliOptions } from "./args.js";

/**
 * The input's format: --format, else the mapping's `source.format`, else the file names'
 * extension (several files: they must say one format). Without a mapping the input is a
 * dead-letter file: NDJSON.
 */
export function inputFormat(
  options: CliOptions,
  mapping: Mapping | null,
  files: readonly string[],
): SourceFormat {
  const given =
    options.format ?? mapping?.source.format ?? (mapping === null ? "ndjson" : undefined);
  if (given !== undefined) return given;
  let found: { file: string; format: SourceFormat } | undefined;
  for (const file of files.length === 0 ? [options.input] : files) {
    const format = detectFormat(file);
    if (format === undefined) {
      throw new UsageError(
        `cannot tell the format of ${file} from its name: pass --format csv|tsv|ndjson|xlsx (or source.format in the mapping)`,
      );
    }
    if (found !== undefined && found.format !== format) {
      throw new UsageError(
        `${found.file} is ${found.format} and ${file} is ${format} by their names: one run reads one format (pass --format to read them all as one)`,
      );
    }
    found ??= { file, format };
  }
  return (found as { format: SourceFormat }).format;
}
