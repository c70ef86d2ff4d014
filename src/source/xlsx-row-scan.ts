/**
 * A sheet's `<row>`s read straight from the inflated bytes (xml-units.ts hands each one over
 * whole): the same reading as SheetRows (xlsx-sheet.ts) tag by tag, with no string or object a
 * tag. A cell's reference, type and style are read in place; a number of at most 15 digits and a
 * shared string's index are read from their digits, the text only made for the rest (a long
 * number, an inline string, a boolean, an error). Markup it does not read plainly (a comment,
 * CDATA, a row inside a row, an odd attribute) it answers BAIL, and the rest of the sheet is read
 * by SheetRows as before.
 */
import type { SharedStrings } from "./shared-strings.js";
import { dateValue } from "./xlsx-dates.js";
import { decimalAt, digitsValue } from "./xlsx-numbers.js";
import type { WorkbookParts } from "./xlsx-parts.js";
import { cellValue, type SheetRows } from "./xlsx-sheet.js";
import {
  BAIL,
  BANG,
  type ByteTag,
  ByteText,
  C,
  GT,
  INCOMPLETE,
  IS,
  LT,
  QUESTION,
  ROW,
  RPH,
  SLASH,
  T,
  V,
} from "./xml-bytes.js";
import type { UnitParser } from "./xml-units.js";

export class RowScanner implements UnitParser {
  readonly #sheet: SheetRows;
  readonly #book: WorkbookParts;
  readonly #strings: SharedStrings;
  readonly #file: string;
  // The row's state, as SheetRows keeps it.
  #number = 0;
  #values: unknown[] = [];
  #filled = false;
  #col = -1;
  #type = "n";
  #style = 0;
  #valued = false;
  #capture = false;
  #inline = false;
  #phonetic = false;
  readonly #text = new ByteText();

  constructor(sheet: SheetRows, book: WorkbookParts, file: string) {
    this.#sheet = sheet;
    this.#book = book;
    this.#strings = book.strings;
    this.#file = file;
  }

  parse(b: Buffer, tag: ByteTag, gt: number, end: number): number {
    this.#number = tag.rStart === -1 ? this.#sheet.row + 1 : wholeNumber(b, tag.rStart, tag.rEnd);
    if (tag.selfClosing) {
      this.#sheet.commit(this.#number, [], false);
      return gt + 1;
    }
    this.#values = [];
    this.#filled = false;
    this.#col = -1;
    this.#capture = false;
    this.#inline = false;
    this.#phonetic = false;
    let i = gt + 1;
    for (;;) {
      let lt = i;
      while (lt < end && b[lt] !== LT) lt++;
      if (lt + 1 >= end) return INCOMPLETE;
      if (this.#capture && lt > i) this.#text.append(b, i, lt);
      const next = b[lt + 1];
      // The tags of every cell, `<v>`, `</v>` and `</c>`, known by their bytes.
      if (next === 0x76 && b[lt + 2] === GT) {
        this.#openValue();
        i = lt + 3;
        continue;
      }
      if (next === SLASH && b[lt + 3] === GT && (b[lt + 2] === 0x76 || b[lt + 2] === 0x63)) {
        this.#close(b[lt + 2] === 0x76 ? V : C, b);
        i = lt + 4;
        continue;
      }
      if (next === BANG || next === QUESTION) return BAIL;
      if (next === SLASH) {
        const close = tag.close(b, lt, end);
        if (close < 0) return close;
        if (tag.name === ROW) {
          this.#sheet.commit(this.#number, this.#values, this.#filled);
          return close + 1;
        }
        this.#close(tag.name, b);
        i = close + 1;
        continue;
      }
      const open = tag.open(b, lt, end);
      if (open < 0) return open;
      if (tag.name === ROW) return BAIL; // a row inside a row
      this.#open(b, tag);
      if (tag.selfClosing) this.#close(tag.name, b);
      i = open + 1;
    }
  }

  #open(b: Buffer, tag: ByteTag): void {
    switch (tag.name) {
      case C:
        this.#col = tag.rStart === -1 ? this.#col + 1 : columnAt(b, tag.rStart, tag.rEnd);
        this.#type = typeAt(b, tag.tStart, tag.tEnd);
        this.#style = tag.sStart === -1 ? 0 : wholeNumber(b, tag.sStart, tag.sEnd);
        this.#valued = false;
        this.#text.clear();
        return;
      case V:
        this.#openValue();
        return;
      case T:
        if (this.#inline && !this.#phonetic) this.#capture = true;
        return;
      case IS:
        this.#inline = true;
        this.#valued = true;
        this.#text.clear();
        return;
      case RPH:
        this.#phonetic = true;
        return;
    }
  }

  #openValue(): void {
    this.#capture = true;
    this.#valued = true;
    this.#text.clear();
  }

  #close(name: number, b: Buffer): void {
    switch (name) {
      case V:
      case T:
        this.#capture = false;
        return;
      case IS:
        this.#inline = false;
        return;
      case RPH:
        this.#phonetic = false;
        return;
      case C:
        if (this.#valued) this.#cell(b);
        return;
    }
  }

  #cell(b: Buffer): void {
    const value = this.#value(b);
    if (value === "") return;
    this.#values[this.#col] = value;
    this.#filled = true;
  }

  /** As cellValue, a shared string's index and a plain number read from their digits. */
  #value(b: Buffer): unknown {
    const type = this.#type;
    const text = this.#text;
    if (text.decoded === undefined) {
      const { start, end } = text;
      if (type === "s" && start !== -1) {
        const shared = this.#strings.get(digitsValue(b, start, end));
        if (shared !== undefined) return shared;
      } else if (type === "n") {
        if (start === -1) return "";
        const kind = this.#book.dateStyles[this.#style];
        // A number of 16 characters or more is read as written (cellValue), a date's as Number does.
        const number = kind !== undefined || end - start < 16 ? decimalAt(b, start, end) : NaN;
        if (!Number.isNaN(number)) {
          return kind === undefined ? number : dateValue(number, kind, this.#book.date1904);
        }
      }
    }
    return cellValue(
      this.#book,
      this.#file,
      type,
      this.#style,
      text.text(b),
      this.#col,
      this.#number,
    );
  }
}

/** A number attribute (`r` of a row, `s`) as `Number` reads it. */
function wholeNumber(b: Buffer, start: number, end: number): number {
  const n = digitsValue(b, start, end);
  return n !== -1 ? n : Number(b.toString("utf8", start, end));
}

/** The column of a cell reference (`AB12` → 27), as columnIndex reads it. */
function columnAt(b: Buffer, start: number, end: number): number {
  let col = 0;
  for (let i = start; i < end; i++) {
    const code = b[i] as number;
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col - 1;
}

/** A cell's `t`: "n" when it has none; the common one-letter types without making a string. */
function typeAt(b: Buffer, start: number, end: number): string {
  if (start === -1) return "n";
  if (end - start === 1) {
    switch (b[start]) {
      case 0x73:
        return "s";
      case 0x6e:
        return "n";
      case 0x62:
        return "b";
      case 0x65:
        return "e";
      case 0x64:
        return "d";
    }
  }
  return b.toString("utf8", start, end);
}
