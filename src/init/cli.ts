import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import type { SourceFormat } from "../source/types.js";
import { runInit } from "./init.js";

export const INIT_USAGE = `Usage: import-profiles init <input> [--out mapping.yaml] [--force]

Reads the header and the first 1,000 rows of <input> (CSV, TSV or NDJSON; UTF-8, UTF-16 or CP949,
found by strict decoding), writes a commented draft mapping, and dry-runs it on those rows.

Options:
  --out FILE        where to write the draft (default mapping.yaml)
  --force           replace FILE if it exists
  --format FMT      csv | tsv | ndjson (default: from the name, else the first line)
  --encoding ENC    utf8 | utf16le | utf16be | cp949 (default: found by strict decoding)
`;

/** `import-profiles init …`: returns the exit code; throws UsageError for a bad command line. */
export async function initCommand(
  argv: readonly string[],
  stdout: NodeJS.WritableStream,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    stdout.write(INIT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "init needs the input file"
        : `init reads one file, got ${positionals.length}`,
    );
  }
  const format = values.format;
  if (format !== undefined && !["csv", "tsv", "ndjson"].includes(format)) {
    throw new UsageError(`--format expects csv, tsv or ndjson; got "${format}"`);
  }
  const result = await runInit({
    input: positionals[0] as string,
    out: values.out ?? "mapping.yaml",
    force: values.force === true,
    ...(values.encoding === undefined ? {} : { encoding: values.encoding }),
    ...(format === undefined ? {} : { format: format as SourceFormat }),
  });
  stdout.write(result.summary);
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: "string" },
      force: { type: "boolean" },
      format: { type: "string" },
      encoding: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
