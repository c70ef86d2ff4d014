/**
 * The XML of a workbook's parts, scanned with indexOf rather than character by character: tags
 * with their attributes, text (entities and character references decoded, CDATA as text), end
 * tags; comments and processing instructions skipped. Names lose their namespace prefix (some
 * writers spell `<x:row>`). It reads machine-written XML and does not validate it: a document type
 * declaration (which OOXML forbids) or a tag left open at the end is an error, little else is.
 * Text is handed over when its tag closes, so a chunk may end anywhere, in a tag or an entity.
 */
export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

export class XmlScanner {
  readonly #handler: XmlHandler;
  #rest = "";

  constructor(handler: XmlHandler) {
    this.#handler = handler;
  }

  /** Scans a chunk; what it ends in the middle of is kept for the next one. */
  write(chunk: string): void {
    this.#rest = this.#scan(this.#rest === "" ? chunk : this.#rest + chunk);
  }

  /** Scans `s`; returns what is left of it for the next chunk. */
  #scan(s: string): string {
    const h = this.#handler;
    const length = s.length;
    let i = 0;
    for (;;) {
      const lt = s.indexOf("<", i);
      if (lt === -1) break;
      if (lt > i) h.text(decode(s.slice(i, lt)));
      const next = s.charCodeAt(lt + 1);
      let end: number;
      if (next === SLASH) {
        end = s.indexOf(">", lt);
        if (end === -1) return this.#keep(s, lt);
        h.close(local(s.slice(lt + 2, end).trim()));
      } else if (next === QUESTION) {
        end = s.indexOf("?>", lt);
        if (end === -1) return this.#keep(s, lt);
        end++;
      } else if (next === BANG) {
        end = this.#special(s, lt);
        if (end === -1) return this.#keep(s, lt);
      } else if (Number.isNaN(next)) {
        return this.#keep(s, lt);
      } else {
        end = this.#tag(s, lt, length);
        if (end === -1) return this.#keep(s, lt);
      }
      i = end + 1;
    }
    // Text after the last tag waits for the tag that ends it (an entity may be cut).
    return s.slice(i);
  }

  /** The input's end: nothing may be left open. */
  close(): void {
    if (this.#rest.trim() !== "") {
      throw new Error(`the part ends inside ${JSON.stringify(this.#rest.slice(0, 40))}`);
    }
  }

  #keep(s: string, at: number): string {
    return s.slice(at);
  }

  /** `<!--…-->`, `<![CDATA[…]]>` (its text handed over as is); the index of its last `>`. */
  #special(s: string, lt: number): number {
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt + 4);
      return end === -1 ? -1 : end + 2;
    }
    if (s.startsWith("<![CDATA[", lt)) {
      const end = s.indexOf("]]>", lt + 9);
      if (end === -1) return -1;
      this.#handler.text(s.slice(lt + 9, end));
      return end + 2;
    }
    if (s.length - lt < 9) return -1; // too short yet to tell
    throw new Error("a document type declaration, which a workbook's XML may not have");
  }

  /** An open tag at `lt`: its attributes read, the handler told; the index of its `>`. */
  #tag(s: string, lt: number, length: number): number {
    let j = lt + 1;
    while (j < length && !isNameEnd(s.charCodeAt(j))) j++;
    if (j >= length) return -1;
    const name = local(s.slice(lt + 1, j));
    const attributes: Record<string, string> = {};
    for (;;) {
      while (j < length && isSpace(s.charCodeAt(j))) j++;
      if (j >= length) return -1;
      const c = s.charCodeAt(j);
      if (c === GT) {
        this.#handler.open(name, attributes);
        return j;
      }
      if (c === SLASH) {
        if (j + 1 >= length) return -1;
        this.#handler.open(name, attributes);
        this.#handler.close(name);
        return j + 1;
      }
      const eq = s.indexOf("=", j);
      if (eq === -1) return -1;
      const key = s.slice(j, eq).trim();
      let q = eq + 1;
      while (q < length && isSpace(s.charCodeAt(q))) q++;
      if (q >= length) return -1;
      const quote = s[q] as string;
      if (quote !== '"' && quote !== "'") throw new Error(`an attribute ${key} without quotes`);
      const close = s.indexOf(quote, q + 1);
      if (close === -1) return -1;
      attributes[key] = decode(s.slice(q + 1, close));
      j = close + 1;
    }
  }
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const GT = 0x3e;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameEnd(c: number): boolean {
  return c === GT || c === SLASH || isSpace(c);
}

function local(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

const ENTITY = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

/** Line breaks as XML reads them (`\r\n` → `\n`), then entities and character references decoded. */
export function decode(text: string): string {
  let out = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  if (out.includes("&")) {
    out = out.replace(ENTITY, (_, hex?: string, dec?: string, named?: string) =>
      named !== undefined
        ? (NAMED[named] as string)
        : String.fromCodePoint(
            Number.parseInt(hex ?? (dec as string), hex === undefined ? 10 : 16),
          ),
    );
  }
  return out;
}
