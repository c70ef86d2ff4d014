import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { peek, startsWith } from "./peek.js";

const GZIP_MAGIC = [0x1f, 0x8b];

/** The name errors use for an input: its path, or `<stdin>` for `-`. */
export function sourceName(input: string): string {
  return input === "-" ? "<stdin>" : input;
}

/**
 * The bytes of an input, as they are read: a file, or standard input for `-`.
 * Gzip is decompressed on the fly when the name ends in `.gz` or the data starts with the gzip
 * magic bytes (so `gunzip`-less pipes into `-` work too).
 */
export async function* openBytes(
  input: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): AsyncGenerator<Buffer> {
  const file = sourceName(input);
  const stream = input === "-" ? stdin : await openFile(input);
  try {
    const { head, bytes } = await peek(buffers(stream), GZIP_MAGIC.length);
    const gzip = input.toLowerCase().endsWith(".gz") || startsWith(head, GZIP_MAGIC);
    yield* gzip ? gunzip(bytes, file) : bytes;
  } catch (error) {
    throw readError(file, error);
  }
}

async function openFile(path: string): Promise<Readable> {
  try {
    const handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new InputError(path, "is a directory, not a file");
    }
    return handle.createReadStream({ highWaterMark: 64 * 1024 });
  } catch (error) {
    throw readError(path, error);
  }
}

async function* gunzip(bytes: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const unzip = createGunzip();
  // Errors of either side reach the loop below: pipeline destroys `unzip` with them.
  pipeline(Readable.from(bytes), unzip).catch(() => {});
  try {
    for await (const chunk of unzip) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error)) throw new InputError(file, `not valid gzip data (${error.message})`);
    throw error;
  }
}

/** A stream's chunks as Buffers (standard input may have been given an encoding). */
async function* buffers(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
}

function isZlibError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && "code" in error && String(error.code).startsWith("Z_");
}

/** Operating-system errors become a clear InputError; our own errors pass through. */
function readError(file: string, error: unknown): unknown {
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
