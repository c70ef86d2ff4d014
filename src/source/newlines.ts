/**
 * Text with every line break (`\r\n`, lone `\r`) turned into `\n`, chunk by chunk.
 *
 * NDJSON reading (ndjson.ts) then has one kind of line to count. CSV is not normalised: its
 * tokenizer counts every kind of line break itself, and a quoted cell keeps its line breaks as
 * the file wrote them.
 */
export async function* normalizeNewlines(texts: AsyncIterable<string>): AsyncGenerator<string> {
  let afterCr = false; // the last chunk ended with `\r`, already given out as `\n`
  for await (const text of texts) {
    if (text === "") continue;
    const chunk = afterCr && text.startsWith("\n") ? text.slice(1) : text;
    afterCr = text.endsWith("\r");
    if (chunk !== "") yield chunk.includes("\r") ? chunk.replace(CR_LINE_BREAK, "\n") : chunk;
  }
}

const CR_LINE_BREAK = /\r\n?/g;
