/**
 * The first `size` bytes of a byte stream (fewer if it is shorter) and the whole stream again, so
 * a stage can sniff a signature (gzip magic, BOM) without buffering more than a chunk or two.
 */
export async function peek(
  source: AsyncIterable<Buffer>,
  size: number,
): Promise<{ head: Buffer; bytes: AsyncGenerator<Buffer> }> {
  const rest = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await rest.next();
    if (next.done === true) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  return { head, bytes: replay(head, rest) };
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  // The whole body is in try/finally, the head included: a stop (or an error thrown in) while the
  // head is out closes the source too, e.g. a CSV header that fails on the first chunk. As with
  // for-await, a source that ended or threw is not asked to close.
  let open = true;
  try {
    if (head.length > 0) yield head;
    for (;;) {
      open = false;
      const next = await rest.next();
      if (next.done === true) return;
      open = true;
      yield next.value;
    }
  } finally {
    if (open) await rest.return?.();
  }
}

/** True when `bytes` starts with `signature`. */
export function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}
