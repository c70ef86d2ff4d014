/**
 * The XML parts of a workbook, read by saxes as they are inflated: a handler is told of each tag
 * and text (names without their namespace prefix: some writers spell `<x:row>`), and the caller
 * takes what each chunk completed before the next one is read, so a sheet is never held whole.
 */
import { SaxesParser } from "saxes";
import { InputError } from "../errors.js";

export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

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
  const parser = new SaxesParser<{ position: false; xmlns: false }>({
    position: false,
    xmlns: false,
  });
  parser.on("opentag", (tag) => handler.open(local(tag.name), tag.attributes));
  parser.on("closetag", (tag) => handler.close(local(tag.name)));
  parser.on("text", (text) => handler.text(text));
  parser.on("cdata", (text) => handler.text(text));
  const fail = (error: unknown): never => {
    const why = error instanceof Error ? error.message : String(error);
    throw new InputError(file, `the workbook's ${part} is not well-formed XML (${why})`);
  };
  for await (const chunk of chunks) {
    try {
      parser.write(chunk);
    } catch (error) {
      fail(error);
    }
    yield;
  }
  try {
    parser.close();
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
