/**
 * The parts of a zip file (an .xlsx is one), read by yauzl from the central directory: a part is
 * found by name and streamed, inflated, one chunk at a time. Nothing is held but the directory.
 */
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createInflateRaw } from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";

const CHUNK = 256 * 1024;

export interface Zip {
  /** Whether the zip holds a part of this name (case-insensitive, as OOXML part names are). */
  has(name: string): boolean;
  /** A part's text (UTF-8), chunk by chunk, as it is inflated. */
  text(name: string): AsyncGenerator<string>;
  /** A part's bytes, chunk by chunk, as they are inflated (a sheet is scanned as bytes). */
  bytes(name: string): AsyncGenerator<Buffer>;
  close(): void;
}

/** Opens a zip file and reads its directory; rejects when it is no zip (yauzl's message). */
export async function openZip(path: string): Promise<Zip> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  let entries: Map<string, Entry>;
  try {
    entries = await readDirectory(zip);
  } catch (error) {
    zip.close();
    throw error;
  }
  return {
    has: (name) => entries.has(name.toLowerCase()),
    text: (name) => partText(partBytes(zip, entries, name)),
    bytes: (name) => partBytes(zip, entries, name),
    close: () => zip.close(),
  };
}

function readDirectory(zip: ZipFile): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  return new Promise((resolve, reject) => {
    zip.on("entry", (entry: Entry) => {
      entries.set(entry.fileName.toLowerCase(), entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", reject);
    zip.readEntry();
  });
}

async function* partText(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    if (text !== "") yield text;
  }
  const last = decoder.end();
  if (last !== "") yield last;
}

async function* partBytes(
  zip: ZipFile,
  entries: ReadonlyMap<string, Entry>,
  name: string,
): AsyncGenerator<Buffer> {
  const entry = entries.get(name.toLowerCase());
  if (entry === undefined) return;
  // Inflated here rather than by yauzl: its inflater's 16 KiB chunks cost more than the inflating.
  const deflated = entry.compressionMethod === 8;
  const raw: Readable = await zip.openReadStreamPromise(entry, { decodeFileData: !deflated });
  const stream = deflated ? raw.pipe(createInflateRaw({ chunkSize: CHUNK })) : raw;
  raw.on("error", (error) => stream.destroy(error));
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (size !== entry.uncompressedSize) {
      throw new Error(
        `${name} inflates to ${size} bytes, not the ${entry.uncompressedSize} its directory says`,
      );
    }
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
