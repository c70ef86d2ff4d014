/**
 * CSV/TSV lines a reader's consumer may take whole, before they are read into cells: the nightly
 * diff's worker (run/known-lines.ts) takes a line whose row it knows unchanged, and a row it takes
 * costs no cells, no row object and no item. Only plain lines are offered (tokenizer.ts): lines the
 * tokenizer would read as one record whose cells are the line's texts between the delimiters, as
 * they are (no quote, no carriage return but a CRLF's, no escape or end-of-data marker in a dump's,
 * a one-character delimiter, within the record bound). Any other line, and a line not taken, is
 * read as before: a taken line is the one thing that changes, and only by being left out.
 */
export interface WholeLines {
  /**
   * The file's columns, as the reader names the cells (a header row, or `columns`): once, before
   * the first line is offered.
   */
  columns(names: readonly string[]): void;
  /**
   * Line `line` of the file is `text` from `start` to `end` (its line break left out), plain:
   * true when taken (the reader gives no item for it). Called while the reader reads: it must not
   * wait.
   */
  take(text: string, start: number, end: number, line: number): boolean;
}

/** The tokenizer's side of `take` (csv.ts offers a line only once the columns are given). */
export type OfferLine = (text: string, start: number, end: number, line: number) => boolean;
