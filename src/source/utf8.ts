import { isAscii } from "node:buffer";
import { InputError } from "../errors.js";

const NEWLINE = 0x0a;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Strict, streaming UTF-8 → text (a leading BOM is dropped). The first invalid byte ends the run
 * with an InputError naming its line: such a file is almost always CP949 (Excel's "CSV" on Korean
 * Windows), and passing mojibake on would corrupt every profile it touches.
 *
 * A chunk of ASCII alone, between whole characters, is taken as Latin-1 (the same text): the
 * strict streaming decoder costs ~6 times as much (~300 against ~50 ns a 100-byte line, Node 20).
 * Not before the decoder has given text: until then it may still have a BOM to drop.
 */
export async function* decodeUtf8(
  chunks: AsyncIterable<Buffer>,
  file: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0; // newlines in the chunks decoded so far
  let pending: Buffer = EMPTY; // the start of a character split over chunks, held by the decoder
  let started = false; // the decoder has given text: past a leading BOM
  for await (const chunk of chunks) {
    if (started && pending === EMPTY && isAscii(chunk)) {
      lines += countNewlines(chunk);
      if (chunk.length > 0) yield chunk.toString("latin1");
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidUtf8(file, lines, Buffer.concat([pending, chunk]));
    }
    lines += countNewlines(chunk);
    pending = incompleteTail(pending, chunk);
    if (text !== "") {
      started = true;
      yield text;
    }
  }
  let last: string;
  try {
    last = decoder.decode();
  } catch {
    throw invalidUtf8(file, lines, pending);
  }
  if (last !== "") yield last;
}

function invalidUtf8(file: string, linesBefore: number, bytes: Buffer): InputError {
  const at = firstInvalidByte(bytes);
  const line = linesBefore + countNewlines(bytes.subarray(0, at)) + 1;
  const byte = (bytes[at] ?? 0).toString(16).padStart(2, "0");
  return new InputError(
    file,
    `not valid UTF-8 (byte 0x${byte}); if the file comes from Excel on Korean Windows, try --encoding cp949`,
    line,
  );
}

/**
 * Where the first invalid sequence of `bytes` starts. A prefix decodes in stream mode unless it
 * holds an error, so the longest good prefix is found by bisection with the platform's decoder;
 * the bad sequence starts at the unfinished character that prefix ends with, if any.
 */
function firstInvalidByte(bytes: Buffer): number {
  let good = 0;
  if (decodesAsPrefix(bytes)) {
    good = bytes.length; // the input ends inside a character
  } else {
    let bad = bytes.length;
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      if (decodesAsPrefix(bytes.subarray(0, mid))) good = mid;
      else bad = mid;
    }
  }
  return good - incompleteTail(EMPTY, bytes.subarray(0, good)).length;
}

function decodesAsPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The bytes of an unfinished character at the end of what has been read so far. */
function incompleteTail(pending: Buffer, chunk: Buffer): Buffer {
  const bytes = chunk.length >= 4 ? chunk : Buffer.concat([pending, chunk]);
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const byte = bytes[i] ?? 0;
    if (isContinuation(byte)) continue;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.length - i < size ? Buffer.from(bytes.subarray(i)) : EMPTY;
  }
  return EMPTY;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
