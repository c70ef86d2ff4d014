import { parseJson } from "../api/exact-number.js";
import { rowFailure } from "../errors.js";
import type { SourceItem } from "./types.js";

/**
 * NDJSON text (`\n` line breaks, see newlines.ts) → one item per non-blank line: a row for a JSON
 * object, an `invalid` item for anything else. Lines may be split over chunks and be long.
 */
export async function* readNdjson(texts: AsyncIterable<string>): AsyncGenerator<SourceItem> {
  let line = 0;
  let partial = ""; // the start of a line whose end is in a later chunk
  for await (const chunk of texts) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      line++;
      const text = partial === "" ? chunk.slice(start, end) : partial + chunk.slice(start, end);
      partial = "";
      start = end + 1;
      const item = parseLine(text, line);
      if (item !== undefined) yield item;
    }
    partial += chunk.slice(start);
  }
  if (partial !== "") {
    const item = parseLine(partial, line + 1);
    if (item !== undefined) yield item;
  }
}

/** The item for one line, or undefined for a blank line. */
function parseLine(text: string, line: number): SourceItem | undefined {
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = parseJson(text); // numbers a double would round stay exact (ExactNumber)
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
