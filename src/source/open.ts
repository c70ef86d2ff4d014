import { constants, openSync, statSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { Socket } from "node:net";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { gunzip } from "./gzip.js";
import { peek, startsWith } from "./peek.js";
import { notTextMessage, SNIFF_BYTES, sniffBinary } from "./workbook-sniff.js";

const GZIP_MAGIC = [0x1f, 0x8b];

/** The name errors use for an input: its path, or `<stdin>` for `-`. */
export function sourceName(input: string): string {
  return input === "-" ? "<stdin>" : input;
}

/**
 * Whether reading an input can stall, waiting for a writer: standard input, a pipe, a FIFO. A
 * regular file (or one that cannot be looked at: its open fails later, with its message) cannot.
 */
export function mayStall(input: string): boolean {
  if (input === "-") return true;
  try {
    return !statSync(input).isFile();
  } catch {
    return false;
  }
}

/**
 * The bytes of an input, as they are read: a file, or standard input for `-`.
 * Gzip is decompressed on the fly when the name ends in `.gz` or the data starts with the gzip
 * magic bytes (so `gunzip`-less pipes into `-` work too). A workbook or a zip is named and refused
 * (workbook-sniff.ts): read as text it could only fail with advice about encodings.
 */
export async function* openBytes(
  input: string,
  stdin: NodeJS.ReadableStream = process.stdin,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const file = sourceName(input);
  const source = input === "-" ? streamed(stdin) : await openFile(input);
  // Ends the input where it is, also while a pipe's writer has sent nothing yet.
  const stop = source.stop;
  const stopped = () => signal?.aborted === true;
  if (stopped()) return stop();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const { head, bytes } = await peek(source.chunks, SNIFF_BYTES);
    const gzip = input.toLowerCase().endsWith(".gz") || startsWith(head, GZIP_MAGIC);
    const binary = gzip ? undefined : sniffBinary(head, input);
    if (binary !== undefined) {
      await bytes.return(undefined);
      throw new InputError(file, notTextMessage(binary, input === "-"));
    }
    yield* gzip ? gunzip(bytes, file) : bytes;
  } catch (error) {
    if (stopped()) return; // stopped: what was not read is not attempted
    throw readError(file, error);
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** Where an input's bytes come from, and how to end it where it is. */
interface ByteSource {
  readonly chunks: AsyncGenerator<Buffer>;
  readonly stop: () => void;
}

async function openFile(path: string): Promise<ByteSource> {
  try {
    if ((await stat(path)).isFIFO()) return streamed(openFifo(path));
    const handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new InputError(path, "is a directory, not a file");
    }
    return fileSource(handle);
  } catch (error) {
    throw readError(path, error);
  }
}

/** The most bytes handed on at once: what comes after (decode, a batch a piece) holds a piece. */
const PIECE_BYTES = 64 * 1024;

/**
 * A file is read a mebibyte at a time into one buffer, and handed on in 64 KiB copies. A read
 * stream of 64 KiB chunks made each chunk a trip through libuv's thread pool, a stream step and
 * a fresh buffer: ~0.3 µs of CPU a line of the bench's NDJSON file (186 bytes a line); read so,
 * ~0.13 (bench/README.md, issue 20's eighth NDJSON pass). The copies are the chunks of before, at
 * the same offsets, and as short-lived: a stream's larger chunks, views of which were handed on,
 * lived as long as their pieces took to read and grew the peak RSS by up to ~70 MB (measured).
 */
const READ_BYTES = 16 * PIECE_BYTES;

function fileSource(handle: FileHandle): ByteSource {
  let stopped = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      while (!stopped) {
        const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
        if (bytesRead === 0) return;
        for (let at = 0; at < bytesRead && !stopped; at += PIECE_BYTES) {
          yield Buffer.from(buffer.subarray(at, Math.min(at + PIECE_BYTES, bytesRead)));
        }
      }
    } finally {
      await handle.close();
    }
  }
  // The file is closed at once, as a destroyed stream's: a read in hand ends first (a file
  // handle's close waits for it), and none starts after. Closing it again is nothing.
  const stop = () => {
    stopped = true;
    void handle.close();
  };
  return { chunks: chunks(), stop };
}

/**
 * A named pipe is opened without blocking and read on the event loop: a blocking open would hold
 * a thread until its writer comes, and then not even process.exit could end the process. Linux
 * reports no end of input until a writer has come and gone, so a writer that starts late is waited for.
 */
function openFifo(path: string): Readable {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // returns at once
  return new Socket({ fd, readable: true, writable: false });
}

/** A stream's bytes; stopping destroys it. */
function streamed(stream: NodeJS.ReadableStream): ByteSource {
  return { chunks: buffers(stream), stop: () => (stream as Readable).destroy() };
}

/** A stream's chunks as Buffers (standard input may have been given an encoding). */
async function* buffers(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
}

/** Operating-system errors become a clear InputError; our own errors pass through. */
export function readError(file: string, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof InputError || !("code" in error)) return error;
  switch (error.code) {
    case "ENOENT":
      return new InputError(file, "no such file", undefined, { cause: error });
    case "EACCES":
    case "EPERM":
      return new InputError(file, "permission denied", undefined, { cause: error });
    case "EISDIR":
      return new InputError(file, "is a directory, not a file", undefined, { cause: error });
    default:
      return new InputError(file, `cannot read: ${error.message}`, undefined, { cause: error });
  }
}
