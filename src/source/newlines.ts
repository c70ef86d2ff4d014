/**
 * Text with every line break (`\r\n`, lone `\r`) turned into `\n`, chunk by chunk.
 *
 * Downstream then has one kind of line to count. It also sidesteps csv-parse's line counter,
 * which counts a CRLF inside a quoted field twice (and its `raw`, which loses the `\n` of CRLF).
 * A quoted multi-line CSV cell therefore reads as `a\nb` whatever the file's line endings.
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
