/**
 * A part scanned as bytes as it is inflated: each element of one name (a unit: a sheet's `<row>`,
 * a shared string's `<si>`) read whole by a byte parser, everything around the units (the sheet's
 * columns, views, merged cells…) handed to xml-scan.ts as text, in order, to the same handler.
 * A unit cut by the end of a chunk is kept and read again with the next one, so memory is one
 * chunk and one unit. When a parser meets markup it leaves alone (BAIL), the rest of the part,
 * from that unit's start, goes to xml-scan.ts: the part reads exactly as xml-scan.ts reads it.
 */
import { StringDecoder } from "node:string_decoder";
import { BAIL, BANG, ByteTag, INCOMPLETE, nextLt, QUESTION, SLASH } from "./xml-bytes.js";
import { type XmlHandler, XmlScanner } from "./xml-scan.js";

export interface UnitParser {
  /**
   * Reads the unit whose open tag `tag` holds (its `>` at `gt`) up to its end tag: the index past
   * it, INCOMPLETE when `b` ends first, BAIL for markup left to xml-scan.ts. What it records (a
   * row, a text) it records only when it reaches the end tag.
   */
  parse(b: Buffer, tag: ByteTag, gt: number, end: number): number;
}

export class UnitScanner {
  readonly #unit: number;
  readonly #parser: UnitParser;
  readonly #text: XmlScanner;
  readonly #tag = new ByteTag();
  /** The bytes of the last chunk not read yet (a unit or a tag it ends in). */
  #rest: Buffer | undefined;
  /** Set when a parser bailed: the rest of the part is decoded and read by xml-scan.ts. */
  #decoder: StringDecoder | undefined;

  /** `unit`: a name code of xml-bytes.ts; `handler` is told of everything else. */
  constructor(unit: number, parser: UnitParser, handler: XmlHandler) {
    this.#unit = unit;
    this.#parser = parser;
    this.#text = new XmlScanner(handler);
  }

  /** Whether a parser left the rest of the part to xml-scan.ts. */
  get bailed(): boolean {
    return this.#decoder !== undefined;
  }

  write(chunk: Buffer): void {
    if (this.#decoder !== undefined) {
      this.#text.write(this.#decoder.write(chunk));
      return;
    }
    const b = this.#rest === undefined ? chunk : Buffer.concat([this.#rest, chunk]);
    this.#rest = undefined;
    const end = b.length;
    const tag = this.#tag;
    let from = 0; // what is before it went to xml-scan.ts, or to the parser
    let i = 0;
    for (;;) {
      const lt = nextLt(b, i, end);
      if (lt === -1 || lt + 1 >= end) {
        this.#keep(b, from, lt === -1 ? i : lt);
        return;
      }
      const next = b[lt + 1];
      if (next === SLASH) {
        i = lt + 2; // an end tag outside a unit: xml-scan.ts reads it
        continue;
      }
      if (next === BANG || next === QUESTION) {
        const after = skipSpecial(b, lt, end);
        if (after === INCOMPLETE) {
          this.#keep(b, from, lt);
          return;
        }
        i = after;
        continue;
      }
      const gt = tag.open(b, lt, end);
      if (gt === INCOMPLETE) {
        this.#keep(b, from, lt);
        return;
      }
      if (tag.name !== this.#unit) {
        i = lt + 1; // xml-scan.ts reads it (or refuses it)
        continue;
      }
      this.#hand(b, from, lt);
      const after = gt === BAIL ? BAIL : this.#parser.parse(b, tag, gt, end);
      if (after === INCOMPLETE) {
        this.#keep(b, lt, lt);
        return;
      }
      if (after === BAIL) {
        this.#decoder = new StringDecoder("utf8");
        this.#text.write(this.#decoder.write(b.subarray(lt)));
        return;
      }
      i = from = after;
    }
  }

  /** The part's end: what is left goes to xml-scan.ts, which refuses a tag left open. */
  close(): void {
    if (this.#decoder !== undefined) this.#text.write(this.#decoder.end());
    else if (this.#rest !== undefined) this.#text.write(this.#rest.toString("utf8"));
    this.#rest = undefined;
    this.#text.close();
  }

  /** Hands b[from, at) to xml-scan.ts and keeps b[at…] for the next chunk. */
  #keep(b: Buffer, from: number, at: number): void {
    this.#hand(b, from, at);
    if (at < b.length) this.#rest = b.subarray(at);
  }

  #hand(b: Buffer, from: number, to: number): void {
    if (to > from) this.#text.write(b.toString("utf8", from, to));
  }
}

/**
 * Past a comment, CDATA or processing instruction at `lt` (a `<row>` inside one is no row);
 * INCOMPLETE when its end is not in `b`. A document type declaration is left to xml-scan.ts.
 */
function skipSpecial(b: Buffer, lt: number, end: number): number {
  const [open, close] = b[lt + 1] === QUESTION ? ["<?", "?>"] : specialOf(b, lt);
  if (open === "") return end - lt < 9 ? INCOMPLETE : lt + 1;
  const at = b.indexOf(close, lt + open.length);
  return at === -1 ? INCOMPLETE : at + close.length;
}

function specialOf(b: Buffer, lt: number): [string, string] {
  if (b.toString("latin1", lt, lt + 4) === "<!--") return ["<!--", "-->"];
  if (b.toString("latin1", lt, lt + 9) === "<![CDATA[") return ["<![CDATA[", "]]>"];
  return ["", ""];
}
