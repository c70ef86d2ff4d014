import { rowFailure } from "../errors.js";
import { parseJson, parseUnflatJson } from "../util/exact-number.js";
import { parseFlatLine } from "../util/flat-json.js";
import { KEPT, MAX_RECORD_SIZE } from "./record.js";
import type { SourceItem } from "./types.js";

/** An NDJSON line longer than this (in characters) is a row error, not a string that fills memory. */
export const MAX_LINE_LENGTH = MAX_RECORD_SIZE;

/**
 * NDJSON text (`\n` line breaks, see newlines.ts) → one item per non-blank line: a row for a JSON
 * object, an `invalid` item for anything else. Lines may be split over chunks and be long. The
 * items come in batches, one for the lines each chunk ends (none for a chunk that ends no line).
 * A line read as parseFlatLine reads it (what parseJson gives for it) makes no string of its own.
 */
export async function* readNdjson(
  texts: AsyncIterable<string>,
  maxLineLength = MAX_LINE_LENGTH,
): AsyncGenerator<readonly SourceItem[]> {
  let line = 0;
  let partial = ""; // the start of a line whose end is in a later chunk
  let overlong: string | undefined; // the kept start of a line past the bound, skipped to its end
  for await (const chunk of texts) {
    const batch: SourceItem[] = [];
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      line++;
      // A whole line of this chunk that is a flat object is read in place: no string of it made.
      const inPlace = partial === "" && overlong === undefined && end - start <= maxLineLength;
      const flat = inPlace ? parseFlatLine(chunk, start, end) : undefined;
      if (flat !== undefined) {
        batch.push({ kind: "row", line, cells: flat });
        start = end + 1;
        continue;
      }
      const text = partial === "" ? chunk.slice(start, end) : partial + chunk.slice(start, end);
      partial = "";
      start = end + 1;
      const kept = overlong ?? (text.length > maxLineLength ? text.slice(0, KEPT) : undefined);
      overlong = undefined;
      const item =
        kept === undefined ? parseLine(text, line, inPlace) : tooLong(kept, line, maxLineLength);
      if (item !== undefined) batch.push(item);
    }
    if (batch.length > 0) yield batch;
    if (overlong !== undefined) continue; // still inside the overlong line: drop what is read
    partial += chunk.slice(start);
    if (partial.length > maxLineLength) {
      overlong = partial.slice(0, KEPT);
      partial = "";
    }
  }
  if (overlong !== undefined) yield [tooLong(overlong, line + 1, maxLineLength)];
  else if (partial !== "") {
    const item = parseLine(partial, line + 1, false);
    if (item !== undefined) yield [item];
  }
}

function tooLong(kept: string, line: number, max: number): SourceItem {
  const failure = rowFailure(
    "input",
    "LINE_TOO_LONG",
    `the line is longer than ${max} characters (only its first ${KEPT} are kept here)`,
  );
  return { kind: "invalid", line, raw: kept, failure };
}

/**
 * The item for one line, or undefined for a blank line. `triedFlat`: parseFlatLine was given it in
 * place and did not read it, so it is not given it again (one try, one skip counted, a line).
 */
function parseLine(text: string, line: number, triedFlat: boolean): SourceItem | undefined {
  if (text === "") return undefined;
  let value: unknown;
  try {
    // Numbers a double would round stay exact (ExactNumber).
    value = triedFlat ? parseUnflatJson(text) : parseJson(text);
  } catch (error) {
    if (text.trim() === "") return undefined;
    const failure = rowFailure("input", "JSON_PARSE", `not JSON: ${(error as Error).message}`);
    return { kind: "invalid", line, raw: text, failure };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const found = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    const failure = rowFailure(
      "input",
      "JSON_NOT_OBJECT",
      `expected a JSON object, found ${found}`,
    );
    return { kind: "invalid", line, raw: text, failure };
  }
  return { kind: "row", line, cells: value as Record<string, unknown> };
}
