/**
 * A worksheet's rows as Excel holds them, read tag by tag (xml.ts): each row's number and its
 * cells' values by column. A number is a number (kept as written when a double would round it), a
 * number in a date style a SheetDate in the workbook's date system, a text its text (shared or
 * inline), a formula its cached value, an error an SheetError. Cells without a value (styled but
 * empty, or a formula never calculated) are absent; so are rows without any value.
 */
import { isSafeNumber } from "lossless-json";
import { InputError } from "../errors.js";
import { ExactNumber } from "../util/exact-number.js";
import { SheetDate, SheetError } from "../util/sheet-values.js";
import { dateValue } from "./xlsx-dates.js";
import type { WorkbookParts } from "./xlsx-parts.js";
import { unescapeXstring } from "./xlsx-strings-scan.js";
import type { XmlHandler } from "./xml.js";

export interface SheetRow {
  /** The row's number in the sheet (1-based), as Excel shows it. */
  readonly number: number;
  /** By column index (0 for A); holes where a cell has no value. */
  readonly values: unknown[];
}

/** Reads `<row>`s into `rows`; the caller takes them after each chunk. */
export class SheetRows implements XmlHandler {
  readonly rows: SheetRow[] = [];
  readonly #book: WorkbookParts;
  readonly #file: string;
  /** The row being read, or the last one read (a row without `r` is the one after it). */
  row = 0;
  #values: unknown[] = [];
  #filled = false;
  #col = -1;
  #type = "n";
  #style = 0;
  #text = "";
  #capture = false;
  #valued = false;
  #inline = false;
  #phonetic = false;

  constructor(book: WorkbookParts, file: string) {
    this.#book = book;
    this.#file = file;
  }

  open(name: string, a: Readonly<Record<string, string>>): void {
    switch (name) {
      case "c":
        this.#col = a.r === undefined ? this.#col + 1 : columnIndex(a.r);
        this.#type = a.t ?? "n";
        this.#style = a.s === undefined ? 0 : Number(a.s);
        this.#valued = false;
        this.#text = "";
        return;
      case "v":
        this.#capture = true;
        this.#valued = true;
        this.#text = "";
        return;
      case "t":
        if (this.#inline && !this.#phonetic) this.#capture = true;
        return;
      case "is":
        this.#inline = true;
        this.#valued = true;
        this.#text = "";
        return;
      case "rPh":
        this.#phonetic = true;
        return;
      case "row":
        this.row = a.r === undefined ? this.row + 1 : Number(a.r);
        this.#values = [];
        this.#filled = false;
        this.#col = -1;
        return;
    }
  }

  text(text: string): void {
    if (this.#capture) this.#text += text;
  }

  close(name: string): void {
    switch (name) {
      case "v":
      case "t":
        this.#capture = false;
        return;
      case "is":
        this.#inline = false;
        return;
      case "rPh":
        this.#phonetic = false;
        return;
      case "c":
        if (this.#valued) this.#cell();
        return;
      case "row":
        this.commit(this.row, this.#values, this.#filled);
        return;
    }
  }

  /** A row read whole (here or by xlsx-row-scan.ts): kept when it has a value. */
  commit(number: number, values: unknown[], filled: boolean): void {
    this.row = number;
    if (filled) this.rows.push({ number, values });
  }

  #cell(): void {
    const value = this.#value(this.#text);
    if (value === "") return;
    this.#values[this.#col] = value;
    this.#filled = true;
  }

  #value(text: string): unknown {
    return cellValue(this.#book, this.#file, this.#type, this.#style, text, this.#col, this.row);
  }
}

/**
 * A cell's value from its type (`t`), style (`s`) and text (its `<v>`, or its inline string's
 * runs), XML already decoded; "" for none. `col` and `row` name the cell in an error.
 */
export function cellValue(
  book: WorkbookParts,
  file: string,
  type: string,
  style: number,
  text: string,
  col: number,
  row: number,
): unknown {
  switch (type) {
    case "s": {
      const shared = book.strings.get(Number(text));
      if (shared !== undefined) return shared;
      const where = `${columnName(col)}${row}`;
      throw new InputError(file, `cell ${where} names a shared string the workbook lacks`);
    }
    case "str":
    case "inlineStr":
      return unescapeXstring(text);
    case "b":
      return text === "1" || text === "true";
    case "e":
      return new SheetError(text);
    case "d":
      return isoDate(text);
    default: {
      if (text === "") return "";
      const kind = book.dateStyles[style];
      if (kind !== undefined) return dateValue(Number(text), kind, book.date1904);
      return numberOf(text);
    }
  }
}

/** A number as written: a double, or the text when a double would round it. */
function numberOf(text: string): number | ExactNumber {
  if (text.length < 16 || isSafeNumber(text)) return Number(text);
  return new ExactNumber(text);
}

/** A `t="d"` cell (ISO 8601, written by some tools): its wall-clock reading. */
function isoDate(text: string): SheetDate | string {
  const ms = Date.parse(
    /[zZ]|[+-]\d\d:?\d\d$/.test(text) || text.length === 10 ? text : `${text}Z`,
  );
  return Number.isNaN(ms) ? text : new SheetDate(ms);
}

/** `AB12` → 27 (the column index of A is 0). */
export function columnIndex(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col - 1;
}

/** 27 → `AB`. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}
