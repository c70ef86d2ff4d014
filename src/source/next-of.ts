/**
 * The next place of a character in a text, from a place on: one `indexOf` a text, not one a line.
 * Asked at line after line of a chunk (tokenizer.ts's plain lines, the diff worker's taker), a
 * character found nowhere is found so once, not looked for to the chunk's end again each line.
 * Asked at a place before the last one it looked from, it looks again (the diff worker's taker
 * looks ahead of the lines offered, then from an offered line again).
 */
export class NextOf {
  #text = "";
  #at = 0;
  /** Where it last looked from: `#at` is the char's first place from there on. */
  #from = 0;

  constructor(private readonly char: string) {}

  /** Where `char` is next in `text` from `i` on; the text's length when nowhere. */
  from(text: string, i: number): number {
    if (text !== this.#text || this.#at < i || i < this.#from) {
      const at = text.indexOf(this.char, i);
      this.#text = text;
      this.#from = i;
      this.#at = at === -1 ? text.length : at;
    }
    return this.#at;
  }
}
