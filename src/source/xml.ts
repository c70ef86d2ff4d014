/**
 * The XML parts of a workbook, read as they are inflated (xml-scan.ts): a handler is told of each
 * tag and text (names without their namespace prefix: some writers spell `<x:row>`), and the
 * caller takes what each chunk completed before the next one is read, so a sheet is never held
 * whole.
 */
import { InputError } from "../errors.js";
import { type XmlHandler, XmlScanner } from "./xml-scan.js";

export type { XmlHandler } from "./xml-scan.js";

/** What reads a part's chunks: xml-scan.ts's scanner of text, xml-units.ts's of bytes. */
export interface ChunkScanner<T> {
  write(chunk: T): void;
  close(): void;
}

/**
 * Feeds a part's text to `handler`, yielding after each chunk. A part that is not well-formed XML
 * is an InputError naming the file and the part.
 */
export function feedXml(
  chunks: AsyncIterable<string>,
  handler: XmlHandler,
  file: string,
  part: string,
): AsyncGenerator<void> {
  return feedScanner(chunks, new XmlScanner(handler), file, part);
}

/** Feeds a part's chunks to `scanner`, yielding after each; errors as feedXml's. */
export async function* feedScanner<T>(
  chunks: AsyncIterable<T>,
  scanner: ChunkScanner<T>,
  file: string,
  part: string,
): AsyncGenerator<void> {
  const fail = (error: unknown): never => {
    if (error instanceof InputError) throw error; // the handler's own (a cell it cannot read)
    const why = error instanceof Error ? error.message : String(error);
    throw new InputError(file, `the workbook's ${part} is not well-formed XML (${why})`);
  };
  for await (const chunk of chunks) {
    try {
      scanner.write(chunk);
    } catch (error) {
      fail(error);
    }
    yield;
  }
  try {
    scanner.close();
  } catch (error) {
    fail(error);
  }
}

/** Reads a whole (small) part through `handler`. */
export async function readXml(
  chunks: AsyncIterable<string>,
  handler: XmlHandler,
  file: string,
  part: string,
): Promise<void> {
  for await (const _ of feedXml(chunks, handler, file, part));
}
