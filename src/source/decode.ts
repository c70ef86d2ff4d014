import { TextDecoder } from "node:util";
import iconv from "iconv-lite";
import { InputError } from "../errors.js";
import { peek, startsWith } from "./peek.js";
import { decodeUtf8 } from "./utf8.js";

export type Encoding = "utf8" | "utf16le" | "utf16be" | "cp949";

/** Accepted names (lower case) → the decoder used. EUC-KR files are read as CP949, its superset. */
const ENCODINGS: Readonly<Record<string, Encoding>> = {
  utf8: "utf8",
  "utf-8": "utf8",
  utf16le: "utf16le",
  "utf-16le": "utf16le",
  utf16be: "utf16be",
  "utf-16be": "utf16be",
  cp949: "cp949",
  "euc-kr": "cp949",
  euckr: "cp949",
  "ks_c_5601-1987": "cp949",
  uhc: "cp949",
  ms949: "cp949",
  "windows-949": "cp949",
};

export const SUPPORTED_ENCODINGS =
  "utf8, utf16le, utf16be, cp949 (also euc-kr, ks_c_5601-1987, uhc, ms949)";

/** The decoder for an `--encoding` value (case-insensitive); `utf8` when none is given. */
export function resolveEncoding(name: string | undefined, file: string): Encoding {
  if (name === undefined) return "utf8";
  const encoding = ENCODINGS[name.trim().toLowerCase()];
  if (encoding === undefined) {
    throw new InputError(file, `unknown encoding "${name}"; supported: ${SUPPORTED_ENCODINGS}`);
  }
  return encoding;
}

/** Byte order marks, longest first. A BOM wins over the encoding asked for. */
const BOMS: readonly (readonly [Encoding, readonly number[]])[] = [
  ["utf8", [0xef, 0xbb, 0xbf]],
  ["utf16le", [0xff, 0xfe]],
  ["utf16be", [0xfe, 0xff]],
];

/** Bytes looked at to tell UTF-16 without a BOM from UTF-8. */
const SNIFF_BYTES = 64;

/**
 * "utf16le" when the start of the input has 0 bytes at odd offsets only (the ASCII of UTF-16LE:
 * `i\0d\0,\0`), "utf16be" at even offsets only; undefined otherwise (UTF-8 text holds no 0 byte).
 */
function bomlessUtf16(head: Buffer): "utf16le" | "utf16be" | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  if (oddZero >= 2 && evenZero === 0) return "utf16le";
  if (evenZero >= 2 && oddZero === 0) return "utf16be";
  return undefined;
}

/**
 * Bytes → text, chunk by chunk. The BOM is dropped. Every encoding is checked strictly: bytes it
 * cannot decode end the run with an InputError naming their line, never mojibake or U+FFFD.
 */
export async function* decode(
  bytes: AsyncIterable<Buffer>,
  encodingName: string | undefined,
  file: string,
): AsyncGenerator<string> {
  const asked = resolveEncoding(encodingName, file);
  const { head, bytes: chunks } = await peek(bytes, SNIFF_BYTES);
  const encoding = BOMS.find(([, bom]) => startsWith(head, bom))?.[0] ?? asked;
  // Only a guess where nothing was stated: `--encoding utf8` is read as UTF-8, NUL bytes and all.
  const utf16 = encoding === "utf8" && encodingName === undefined ? bomlessUtf16(head) : undefined;
  if (utf16 !== undefined) {
    // NUL bytes are valid UTF-8: without this, the header would just "lack" every column.
    throw new InputError(
      file,
      `looks like ${utf16 === "utf16le" ? "UTF-16LE" : "UTF-16BE"} without a byte order mark (every other byte is 0): pass --encoding ${utf16}`,
      1,
    );
  }
  switch (encoding) {
    case "utf8":
      yield* decodeUtf8(chunks, file);
      return;
    case "utf16le":
    case "utf16be":
      yield* decodeUtf16(encoding, chunks, file);
      return;
    case "cp949":
      yield* decodeCp949(chunks, file);
      return;
  }
}

/**
 * Strict UTF-16: a lone surrogate or an odd byte at the end ends the run with an InputError naming
 * its line, never U+FFFD. The BOM is dropped here, so that bytes in and code units out can be
 * matched: the decoder holds back `bytesIn - 2 * unitsOut` bytes (a half character) between chunks.
 */
async function* decodeUtf16(
  encoding: "utf16le" | "utf16be",
  chunks: AsyncIterable<Buffer>,
  file: string,
) {
  const label = encoding === "utf16le" ? "utf-16le" : "utf-16be";
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  let lines = 0; // newlines in the text decoded so far
  let bytesIn = 0;
  let unitsOut = 0;
  let held: Buffer = Buffer.alloc(0); // the bytes the decoder holds back
  const decodeStrictly = (chunk: Buffer | undefined): string => {
    const bytes = chunk === undefined ? held : Buffer.concat([held, chunk]);
    let text: string;
    try {
      text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      const at = firstUndecodable(new TextDecoder(label, { ignoreBOM: true }).decode(bytes), bytes);
      const line = lines + countNewlines(at) + 1;
      const message = `not valid ${label.toUpperCase()} (a lone surrogate or an odd number of bytes); check --encoding`;
      throw new InputError(file, message, line);
    }
    bytesIn += chunk?.length ?? 0;
    unitsOut += text.length;
    held = Buffer.from(bytes.subarray(bytes.length - (bytesIn - 2 * unitsOut)));
    lines += countNewlines(text);
    if (unitsOut === text.length && text.startsWith("\uFEFF")) return text.slice(1);
    return text;
  };
  for await (const chunk of chunks) {
    const text = decodeStrictly(chunk);
    if (text !== "") yield text;
  }
  const last = decodeStrictly(undefined);
  if (last !== "") yield last;
}

/**
 * The text before the first code unit the lenient decoder replaced: a U+FFFD in `text` whose two
 * bytes (one code unit each, so unit `i` is bytes `2i`, `2i + 1`) are not U+FFFD itself.
 */
function firstUndecodable(text: string, bytes: Buffer): string {
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) {
    const a = bytes[2 * i];
    const b = bytes[2 * i + 1];
    if (!((a === 0xff && b === 0xfd) || (a === 0xfd && b === 0xff))) return text.slice(0, i);
  }
  return text;
}

/**
 * Node's TextDecoder('euc-kr') knows only KS X 1001 and corrupts CP949-only syllables (똠, 햏).
 * iconv-lite puts U+FFFD for bytes it cannot decode; CP949 has no encoding of U+FFFD, so any in
 * its output marks such bytes, and the run ends with an InputError naming their line.
 */
async function* decodeCp949(chunks: AsyncIterable<Buffer>, file: string) {
  const decoder = iconv.getDecoder("cp949");
  let lines = 0; // newlines in the text decoded so far
  const checked = (text: string): string => {
    const bad = text.indexOf(REPLACEMENT);
    if (bad !== -1) {
      throw new InputError(
        file,
        "not valid CP949 (a byte sequence it cannot decode); if the file is UTF-8, try --encoding utf8",
        lines + countNewlines(text.slice(0, bad)) + 1,
      );
    }
    lines += countNewlines(text);
    return text;
  };
  for await (const chunk of chunks) {
    const text = checked(decoder.write(chunk));
    if (text !== "") yield text;
  }
  const last = decoder.end();
  if (last !== undefined && last !== "") yield checked(last);
}

const REPLACEMENT = "\uFFFD";

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
