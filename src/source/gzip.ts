import { crc32, createInflateRaw, type InflateRaw } from "node:zlib";
import { InputError } from "../errors.js";

const FLAG = { hcrc: 2, extra: 4, name: 8, comment: 16 } as const;

/** Bytes of a stream, read a piece at a time, with what was read too far put back. */
class ByteReader {
  #pending: Buffer[] = [];
  readonly #source: AsyncIterator<Buffer>;
  #done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** The next bytes (what was put back first); undefined at the end. */
  async take(): Promise<Buffer | undefined> {
    const pending = this.#pending.shift();
    if (pending !== undefined) return pending;
    if (this.#done) return undefined;
    const next = await this.#source.next();
    if (next.done === true) {
      this.#done = true;
      return undefined;
    }
    return next.value;
  }

  unread(bytes: Buffer): void {
    if (bytes.length > 0) this.#pending.unshift(bytes);
  }

  /** Exactly `n` bytes, or fewer at the end. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let length = 0;
    while (length < n) {
      const chunk = await this.take();
      if (chunk === undefined) break;
      parts.push(chunk);
      length += chunk.length;
    }
    const all = Buffer.concat(parts);
    this.unread(all.subarray(n));
    return all.subarray(0, n);
  }

  /** Bytes up to and including the next 0 (a zero-terminated header field). */
  async skipZeroTerminated(): Promise<boolean> {
    for (;;) {
      const chunk = await this.take();
      if (chunk === undefined) return false;
      const zero = chunk.indexOf(0);
      if (zero !== -1) {
        this.unread(chunk.subarray(zero + 1));
        return true;
      }
    }
  }

  async return(): Promise<void> {
    await this.#source.return?.();
  }
}

/**
 * Decompresses gzip, member after member, as `gzip -d` does: bytes after the last member that do
 * not start a new one ("trailing garbage") end the input, and everything before them is read.
 * (node's Gunzip fails on them, and drops the last piece it decompressed.) A damaged or cut
 * member, or a CRC that does not match, is an InputError.
 */
export async function* gunzip(bytes: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const reader = new ByteReader(bytes);
  const bad = (why: string) => new InputError(file, `not valid gzip data (${why})`);
  try {
    for (let members = 0; ; members++) {
      const header = await reader.read(10);
      if (header[0] !== 0x1f || header[1] !== 0x8b || header[2] !== 8) {
        if (members > 0) return; // trailing garbage (or nothing): the input ends here
        throw bad(header.length < 10 ? "unexpected end of file" : "incorrect header check");
      }
      if (header.length < 10 || !(await skipHeaderFields(reader, header[3] ?? 0))) {
        throw bad("unexpected end of file");
      }
      yield* inflateMember(reader, bad);
    }
  } finally {
    await reader.return();
  }
}

async function skipHeaderFields(reader: ByteReader, flags: number): Promise<boolean> {
  if ((flags & FLAG.extra) !== 0) {
    const size = await reader.read(2);
    if (
      size.length < 2 ||
      (await reader.read(size.readUInt16LE(0))).length < size.readUInt16LE(0)
    ) {
      return false;
    }
  }
  if ((flags & FLAG.name) !== 0 && !(await reader.skipZeroTerminated())) return false;
  if ((flags & FLAG.comment) !== 0 && !(await reader.skipZeroTerminated())) return false;
  if ((flags & FLAG.hcrc) !== 0 && (await reader.read(2)).length < 2) return false;
  return true;
}

/** One member's deflate data and trailer; what follows it is put back in the reader. */
async function* inflateMember(
  reader: ByteReader,
  bad: (why: string) => InputError,
): AsyncGenerator<Buffer> {
  const inflate = createInflateRaw();
  // What was written and not yet known to be used, to put back what follows the member's end.
  const written: Buffer[] = [];
  let dropped = 0; // bytes written before written[0]
  let ended = false;
  let readFailure: unknown;
  const feeding = feed(
    reader,
    inflate,
    () => ended,
    (chunk) => {
      written.push(chunk);
      for (let first = written[0]; first !== undefined; first = written[0]) {
        if (dropped + first.length > inflate.bytesWritten) break;
        dropped += first.length;
        written.shift();
      }
    },
  ).catch((error: unknown) => {
    readFailure = error; // the input failed: the loop below ends, and throws it as it was
    inflate.destroy(error as Error);
  });
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of inflate) {
      crc = crc32(chunk as Buffer, crc);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (error) {
    throw readFailure ?? bad((error as Error).message);
  } finally {
    ended = true;
    inflate.destroy();
  }
  await feeding;
  reader.unread(Buffer.concat(written).subarray(inflate.bytesWritten - dropped));
  const trailer = await reader.read(8);
  if (trailer.length < 8) throw bad("unexpected end of file");
  if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== size % 2 ** 32) {
    throw bad("incorrect data check");
  }
}

/** Writes the reader's bytes into `inflate` until it ends (or the input does). */
async function feed(
  reader: ByteReader,
  inflate: InflateRaw,
  ended: () => boolean,
  onWrite: (chunk: Buffer) => void,
): Promise<void> {
  for (;;) {
    const chunk = await reader.take();
    if (chunk === undefined) {
      if (!ended()) inflate.end();
      return;
    }
    if (ended() || inflate.writableEnded || inflate.destroyed) {
      reader.unread(chunk);
      return;
    }
    onWrite(chunk);
    if (!inflate.write(chunk)) await drainedOrClosed(inflate);
  }
}

/** Resolves once `inflate` takes more input, or is done; leaves no listener behind. */
function drainedOrClosed(inflate: InflateRaw): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      inflate.off("drain", done);
      inflate.off("close", done);
      resolve();
    };
    inflate.on("drain", done);
    inflate.on("close", done);
  });
}
