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

/**
 * Bytes → text, chunk by chunk. The BOM is dropped. UTF-8 is checked strictly: an invalid byte
 * ends the run with an InputError naming its line, never mojibake.
 */
export async function* decode(
  bytes: AsyncIterable<Buffer>,
  encodingName: string | undefined,
  file: string,
): AsyncGenerator<string> {
  const asked = resolveEncoding(encodingName, file);
  const { head, bytes: chunks } = await peek(bytes, 3);
  const encoding = BOMS.find(([, bom]) => startsWith(head, bom))?.[0] ?? asked;
  switch (encoding) {
    case "utf8":
      yield* decodeUtf8(chunks, file);
      return;
    case "utf16le":
    case "utf16be":
      yield* decodeWith(new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be"), chunks);
      return;
    case "cp949":
      yield* decodeCp949(chunks);
      return;
  }
}

async function* decodeWith(decoder: TextDecoder, chunks: AsyncIterable<Buffer>) {
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  const last = decoder.decode();
  if (last !== "") yield last;
}

/** Node's TextDecoder('euc-kr') knows only KS X 1001 and corrupts CP949-only syllables (똠, 햏). */
async function* decodeCp949(chunks: AsyncIterable<Buffer>) {
  const decoder = iconv.getDecoder("cp949");
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text !== "") yield text;
  }
  const last = decoder.end();
  if (last !== undefined && last !== "") yield last;
}
