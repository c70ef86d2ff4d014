/**
 * Tags read straight from a part's UTF-8 bytes, for the scanners of the two parts that grow with
 * a workbook (the sheet's rows, the shared strings): a tag's local name as a small code, and the
 * places of the three attributes a cell or row is read by (`r`, `t`, `s`), with no string, no
 * object a tag. Reads as xml-scan.ts does (prefixes dropped, attribute keys trimmed, either
 * quote); what it does not read plainly (an entity in one of those attributes, an attribute
 * without quotes, `/` not before `>`) it answers BAIL, and the caller hands the bytes to
 * xml-scan.ts, which reads or refuses them.
 */
import { decode } from "./xml-scan.js";

/** The tag runs past the bytes at hand: read again with more. */
export const INCOMPLETE = -1;
/** Markup the byte scanners leave to xml-scan.ts (a comment, CDATA, an odd attribute). */
export const BAIL = -2;

export const LT = 0x3c;
export const GT = 0x3e;
export const SLASH = 0x2f;
export const BANG = 0x21;
export const QUESTION = 0x3f;
const EQ = 0x3d;
const COLON = 0x3a;
const AMP = 0x26;
const CR = 0x0d;
const QUOT = 0x22;
const APOS = 0x27;

/** Local names the scanners act on; any other is OTHER. */
export const OTHER = 0;
export const C = 1;
export const V = 2;
export const T = 3;
export const IS = 4;
export const RPH = 5;
export const ROW = 6;
export const SI = 7;

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameEnd(c: number): boolean {
  return c === GT || c === SLASH || isSpace(c);
}

/** The code of the local name in b[start, end) (after the first colon, as xml-scan.ts reads it). */
function nameCode(b: Uint8Array, start: number, end: number): number {
  let from = start;
  for (let i = start; i < end; i++) {
    if (b[i] === COLON) {
      from = i + 1;
      break;
    }
  }
  const c0 = b[from];
  switch (end - from) {
    case 1:
      return c0 === 0x63 ? C : c0 === 0x76 ? V : c0 === 0x74 ? T : OTHER;
    case 2:
      return c0 === 0x69 && b[from + 1] === 0x73
        ? IS
        : c0 === 0x73 && b[from + 1] === 0x69
          ? SI
          : OTHER;
    case 3:
      if (c0 === 0x72 && b[from + 1] === 0x6f && b[from + 2] === 0x77) return ROW;
      return c0 === 0x72 && b[from + 1] === 0x50 && b[from + 2] === 0x68 ? RPH : OTHER;
    default:
      return OTHER;
  }
}

/** Whether b[start, end) holds a byte xml-scan.ts would decode (an entity, a carriage return). */
export function needsDecoding(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === AMP || c === CR) return true;
  }
  return false;
}

/** The index of the next `<` from `i`, or -1. */
export function nextLt(b: Uint8Array, i: number, end: number): number {
  for (let j = i; j < end; j++) if (b[j] === LT) return j;
  return -1;
}

/**
 * An element's text as xml-scan.ts hands it over (each piece decoded, the pieces joined), kept
 * as its place in the bytes while it is one piece that needs no decoding (the common case).
 */
export class ByteText {
  /** Where the text is in the bytes (start -1: not there), or `decoded` once it was made. */
  start = -1;
  end = -1;
  decoded: string | undefined;

  clear(): void {
    this.start = -1;
    this.decoded = undefined;
  }

  append(b: Buffer, start: number, end: number): void {
    if (this.decoded === undefined && this.start === -1) {
      if (!needsDecoding(b, start, end)) {
        this.start = start;
        this.end = end;
        return;
      }
      this.decoded = "";
    }
    this.decoded = this.text(b) + decode(b.toString("utf8", start, end));
    this.start = -1;
  }

  text(b: Buffer): string {
    if (this.decoded !== undefined) return this.decoded;
    return this.start === -1 ? "" : b.toString("utf8", this.start, this.end);
  }
}

/** One tag, read in place; reused from tag to tag. */
export class ByteTag {
  name = OTHER;
  selfClosing = false;
  /** Where the `r`, `t` and `s` attributes' values start and end; start -1 when absent. */
  rStart = -1;
  rEnd = -1;
  tStart = -1;
  tEnd = -1;
  sStart = -1;
  sEnd = -1;

  /** The open tag at `lt`: its name and attributes; the index of its `>`, INCOMPLETE or BAIL. */
  open(b: Uint8Array, lt: number, end: number): number {
    let j = lt + 1;
    while (j < end && !isNameEnd(b[j] as number)) j++;
    if (j >= end) return INCOMPLETE;
    this.name = nameCode(b, lt + 1, j);
    this.rStart = -1;
    this.tStart = -1;
    this.sStart = -1;
    for (;;) {
      while (j < end && isSpace(b[j] as number)) j++;
      if (j >= end) return INCOMPLETE;
      const c = b[j];
      if (c === GT) {
        this.selfClosing = false;
        return j;
      }
      if (c === SLASH) {
        if (j + 1 >= end) return INCOMPLETE;
        if (b[j + 1] !== GT) return BAIL;
        this.selfClosing = true;
        return j + 1;
      }
      const keyStart = j;
      while (j < end && b[j] !== EQ) {
        if (b[j] === GT || b[j] === LT) return BAIL; // an attribute without a value
        j++;
      }
      if (j >= end) return INCOMPLETE;
      let keyEnd = j;
      while (keyEnd > keyStart && isSpace(b[keyEnd - 1] as number)) keyEnd--;
      j++;
      while (j < end && isSpace(b[j] as number)) j++;
      if (j >= end) return INCOMPLETE;
      const quote = b[j];
      if (quote !== QUOT && quote !== APOS) return BAIL;
      const start = j + 1;
      let plain = true; // no entity, no carriage return
      for (j = start; j < end; j++) {
        const v = b[j];
        if (v === quote) break;
        if (v === AMP || v === CR) plain = false;
      }
      if (j >= end) return INCOMPLETE;
      if (keyEnd - keyStart === 1 && !this.#keep(b[keyStart] as number, plain, start, j)) {
        return BAIL;
      }
      j++;
    }
  }

  /** Keeps the place of an `r`, `t` or `s` value; false when it would need decoding. */
  #keep(key: number, plain: boolean, start: number, end: number): boolean {
    if (key !== 0x72 && key !== 0x74 && key !== 0x73) return true;
    if (!plain) return false;
    if (key === 0x72) {
      this.rStart = start;
      this.rEnd = end;
    } else if (key === 0x74) {
      this.tStart = start;
      this.tEnd = end;
    } else {
      this.sStart = start;
      this.sEnd = end;
    }
    return true;
  }

  /** The end tag at `lt` (`</…>`): its name; the index of its `>`, or INCOMPLETE. */
  close(b: Uint8Array, lt: number, end: number): number {
    let gt = lt + 2;
    while (gt < end && b[gt] !== GT) gt++;
    if (gt >= end) return INCOMPLETE;
    let start = lt + 2;
    let stop = gt;
    while (start < stop && isSpace(b[start] as number)) start++;
    while (stop > start && isSpace(b[stop - 1] as number)) stop--;
    this.name = nameCode(b, start, stop);
    return gt;
  }
}
