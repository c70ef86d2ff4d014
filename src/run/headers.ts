import { InputError, type RowFailure, rowFailure } from "../errors.js";
import { readSource } from "../source/read.js";
import type { SourceOptions } from "../source/types.js";

/**
 * Several CSV/TSV files are one table: each file's header row is read (and only it) before the run
 * sends anything, and every one must name the same columns in the same order as the first file's.
 * A file that differs (another export mixed into the folder, a column added halfway through the
 * night) stops the run with an InputError naming both files and the first column that differs.
 * NDJSON has no header: nothing to read.
 */
export async function checkHeadersAgree(
  files: readonly string[],
  options: Omit<SourceOptions, "input">,
): Promise<void> {
  if (options.format === "ndjson") return;
  let first: { file: string; columns: readonly string[] } | undefined;
  for (const file of files) {
    if (options.signal?.aborted === true) return;
    const columns = await headerOf(file, options);
    if (first === undefined) {
      first = { file, columns };
      continue;
    }
    const problem = difference(first.columns, columns);
    if (problem !== undefined) {
      throw new InputError(
        file,
        `its header differs from ${first.file}'s: ${problem}; the files of one run must be one table: read the others in a run of their own`,
        1,
      );
    }
  }
}

/** The file's header: the first item its reader yields (the reader throws for a bad header). */
async function headerOf(
  file: string,
  options: Omit<SourceOptions, "input">,
): Promise<readonly string[]> {
  const items = readSource({ ...options, input: file });
  try {
    const first = await items.next();
    return first.done !== true && first.value.kind === "header" ? first.value.columns : [];
  } finally {
    await items.return(undefined);
  }
}

const quoted = (name: string | undefined) => (name === undefined ? "none" : `"${name}"`);

/** How two headers differ, said for a person: the first column that differs, or the count. */
function difference(expected: readonly string[], actual: readonly string[]): string | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) {
    if (expected[i] !== actual[i]) {
      return `column ${i + 1} is ${quoted(actual[i])}, not ${quoted(expected[i])} (${actual.length} columns, not ${expected.length})`;
    }
  }
  return undefined;
}

const REPEATED_HEADER = rowFailure(
  "input",
  "REPEATED_HEADER",
  "this row repeats the header row (files joined with cat?): never sent, as it would make a user of the column names; give the files, or their folder, instead of joining them",
);

/**
 * A CSV/TSV row whose every cell is its own column's name: a header row read as data, as
 * `cat part-*.csv |` makes one of every file's header but the first. Refused, so that no profile
 * is made with external_id `user_id`; undefined for any other row (most differ in their first cell).
 */
export function repeatedHeader(cells: Readonly<Record<string, unknown>>): RowFailure | undefined {
  let columns = 0;
  for (const column in cells) {
    if (cells[column] !== column) return undefined;
    columns++;
  }
  return columns === 0 ? undefined : REPEATED_HEADER;
}
