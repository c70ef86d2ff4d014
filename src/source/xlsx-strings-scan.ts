/**
 * The shared strings' `<si>`s read straight from the inflated bytes (xml-units.ts hands each one
 * over whole), as xlsx-parts.ts's reading of them: the text of its `<t>`s (its rich-text runs
 * joined), without its phonetic guides (`<rPh>`). A text that needs no decoding (no entity, no
 * carriage return, no `_xHHHH_`) is copied into the table as the bytes it is, never made a string.
 */
import type { SharedStrings } from "./shared-strings.js";
import {
  BAIL,
  BANG,
  type ByteTag,
  ByteText,
  GT,
  INCOMPLETE,
  LT,
  QUESTION,
  RPH,
  SI,
  SLASH,
  T,
} from "./xml-bytes.js";
import type { XmlHandler } from "./xml-scan.js";
import type { UnitParser } from "./xml-units.js";

export class StringScanner implements UnitParser {
  readonly #strings: SharedStrings;
  #inText = false;
  #phonetic = false;
  readonly #text = new ByteText();

  constructor(strings: SharedStrings) {
    this.#strings = strings;
  }

  parse(b: Buffer, tag: ByteTag, gt: number, end: number): number {
    this.#text.clear();
    this.#inText = false;
    this.#phonetic = false;
    if (tag.selfClosing) return this.#push(b, gt + 1);
    let i = gt + 1;
    for (;;) {
      let lt = i;
      while (lt < end && b[lt] !== LT) lt++;
      if (lt + 1 >= end) return INCOMPLETE;
      if (this.#inText && lt > i) this.#text.append(b, i, lt);
      const next = b[lt + 1];
      // `<t>`, `</t>` and `</si>`, known by their bytes.
      if (next === 0x74 && b[lt + 2] === GT) {
        this.#inText = !this.#phonetic;
        i = lt + 3;
        continue;
      }
      if (next === SLASH && b[lt + 2] === 0x74 && b[lt + 3] === GT) {
        this.#inText = false;
        i = lt + 4;
        continue;
      }
      if (next === SLASH && b[lt + 2] === 0x73 && b[lt + 3] === 0x69 && b[lt + 4] === GT) {
        return this.#push(b, lt + 5);
      }
      if (next === BANG || next === QUESTION) return BAIL;
      const endTag = next === SLASH;
      const gtAt = endTag ? tag.close(b, lt, end) : tag.open(b, lt, end);
      if (gtAt < 0) return gtAt;
      const name = tag.name;
      if (!endTag) {
        if (name === SI) return BAIL; // an si inside an si
        if (name === T) this.#inText = !this.#phonetic;
        else if (name === RPH) this.#phonetic = true;
      }
      if (endTag || tag.selfClosing) {
        if (name === T) this.#inText = false;
        else if (name === RPH) this.#phonetic = false;
        else if (name === SI) return this.#push(b, gtAt + 1);
      }
      i = gtAt + 1;
    }
  }

  #push(b: Buffer, after: number): number {
    const { start, end, decoded } = this.#text;
    if (decoded !== undefined) this.#strings.push(unescapeXstring(decoded));
    else if (start === -1) this.#strings.push("");
    else if (hasXstring(b, start, end))
      this.#strings.push(unescapeXstring(b.toString("utf8", start, end)));
    else this.#strings.pushBytes(b, start, end);
    return after;
  }
}

/** Whether b[start, end) holds `_x` (an `_xHHHH_` escape, maybe). */
function hasXstring(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (b[i] === 0x5f && b[i + 1] === 0x78) return true;
  return false;
}

/**
 * The same reading tag by tag, for xml-scan.ts: where the byte scanner leaves off, and for the
 * tests that hold the two to one reading.
 */
export function stringsHandler(strings: SharedStrings): XmlHandler {
  let text = "";
  let inText = false;
  let phonetic = false;
  return {
    open(name) {
      if (name === "si") text = "";
      else if (name === "t") inText = !phonetic;
      else if (name === "rPh") phonetic = true;
    },
    close(name) {
      if (name === "t") inText = false;
      else if (name === "rPh") phonetic = false;
      else if (name === "si") strings.push(unescapeXstring(text));
    },
    text(value) {
      if (inText) text += value;
    },
  };
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (`_x000D_` for a carriage return). */
export function unescapeXstring(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
