/**
 * What `init` finds out about an input before reading it as rows: its encoding, by strict
 * decoding of its first bytes (a BOM; else UTF-8; else UTF-16 by its zero bytes; else CP949),
 * and its format, by its name or else by its first line.
 */
import iconv from "iconv-lite";
import { InputError } from "../errors.js";
import { openBytes, sourceName } from "../source/open.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";

export type FoundEncoding = "utf8" | "utf16le" | "utf16be" | "cp949";

const HEAD_BYTES = 1 << 20;

/** The first bytes of the input (up to 1 MiB; a .gz is decompressed). */
export async function readHead(input: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of openBytes(input, undefined, undefined)) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= HEAD_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

export function findEncoding(head: Buffer, input: string): FoundEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf16be";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    const zeros = head.indexOf(0);
    if (zeros < 0) return "utf8";
  } catch {
    // not UTF-8: one of the others
  }
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < Math.min(head.length, 4096); i++) {
    if (head[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  }
  const pairs = Math.min(head.length, 4096) / 2;
  if (oddZeros > pairs * 0.3) return "utf16le";
  if (evenZeros > pairs * 0.3) return "utf16be";
  // CP949 decodes any byte pair; a byte it cannot read becomes U+FFFD (a cut last pair aside).
  const text = iconv.decode(head, "cp949");
  if (!text.slice(0, -1).includes("\uFFFD")) return "cp949";
  throw new InputError(
    sourceName(input),
    "is not UTF-8, UTF-16 or CP949 text: pass --encoding to read it",
  );
}

/** The format by the name (`.csv`, `.tsv`, `.ndjson`, `.jsonl`), else by the first line. */
export function findFormat(input: string, firstLine: string): SourceFormat {
  const byName = detectFormat(input);
  if (byName !== undefined) return byName;
  if (firstLine.trimStart().startsWith("{")) return "ndjson";
  const tabs = firstLine.split("\t").length;
  const commas = firstLine.split(",").length;
  return tabs > commas ? "tsv" : "csv";
}

/** The first line of the head, decoded; with `lines`, the first few lines (for a dump's dialect). */
export function firstLineOf(head: Buffer, encoding: FoundEncoding): string;
export function firstLineOf(head: Buffer, encoding: FoundEncoding, lines: number): string[];
export function firstLineOf(
  head: Buffer,
  encoding: FoundEncoding,
  lines?: number,
): string | string[] {
  const text =
    encoding === "cp949" || encoding === "utf16be"
      ? iconv.decode(head, encoding === "cp949" ? "cp949" : "utf16-be")
      : head.toString(encoding === "utf8" ? "utf8" : "utf16le");
  const split = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines === undefined) return (split[0] ?? "").slice(0, 10_000);
  return split.slice(0, lines).map((l) => l.slice(0, 10_000));
}
