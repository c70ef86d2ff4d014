import type { Readable } from "node:stream";

/** The API answers with ~100 bytes of JSON; an answer this large is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export const TOO_LARGE = Symbol("too large");

/**
 * Reads an answer's body as UTF-8 text, but never more than `cap` bytes: a body that declares or
 * turns out to be larger is dropped (the connection with it) and TOO_LARGE is returned, so a
 * faulty server cannot fill memory with 32 answers in flight.
 */
export async function readCapped(
  body: Readable & { text(): Promise<string> },
  declaredLength: string | string[] | undefined,
  cap = MAX_BODY_BYTES,
): Promise<string | typeof TOO_LARGE> {
  const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
  if (declared > cap) {
    body.destroy();
    return TOO_LARGE;
  }
  if (declared <= cap) return body.text(); // the length is known and small: the fast path
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      return TOO_LARGE;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1
    ? (chunks[0] as Buffer).toString("utf8")
    : Buffer.concat(chunks).toString("utf8");
}
