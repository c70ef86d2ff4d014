/**
 * The XML parts of a workbook, read as they are inflated (xml-scan.ts): a handler is told of each
 * tag and text (names without their namespace prefix: some writers spell `<x:row>`), and the
 * caller takes what each chunk completed before the next one is read, so a sheet is never held
 * whole.
 */
import { InputError } from "../errors.js";
import { type XmlHandler, XmlScanner } from "./xml-scan.js";

export type { XmlHandler } from "./xml-scan.js";

/**
 * Feeds a part's text to `handler`, yielding after each chunk. A part that is not well-formed XML
 * is an InputError naming the file and the part.
 */
export async function* feedXml(
  chunks: AsyncIterable<string>,
  handler: XmlHandler,
  file: string,
  part: string,
): AsyncGenerator<void> {
  const scanner = new XmlScanner(handler);
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

function local(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}
