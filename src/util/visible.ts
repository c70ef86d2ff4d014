/**
 * What a terminal acts on instead of showing: the C0 controls but line feed and tab (ESC starts
 * the sequences that clear the screen, set the window title, move the cursor; CR overwrites a
 * line), DEL, the C1 controls (U+009B is CSI to some terminals), and the bidi embeddings,
 * overrides and isolates that reorder what is shown. Header names, cell values and the API's
 * messages may hold any of them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const ACTED_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * The text with each such character written as its JSON escape (`\u001b`): shown, never acted on.
 * JSON stays JSON with the same value (these occur only inside its strings), so the log is made
 * visible too and still records exactly what it was given. Used where text leaves for a person:
 * stdout, stderr and the log (cli/main.ts).
 */
export function visible(text: string): string {
  return text.replace(ACTED_ON, escaped);
}
