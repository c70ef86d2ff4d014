/**
 * Writes an .xlsx as Excel lays it out (the parts in Excel's order: sheets before the styles and
 * the shared strings), for the tests and the bench: each sheet's rows are given as the XML Excel
 * writes (`<row r="2"><c r="A2" t="s"><v>0</v></c>…</row>`), streamed through deflate, so a
 * sheet of a million rows is never held whole. The zip is written with data descriptors, as
 * streaming zip writers do; its central directory has the sizes.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { crc32, createDeflateRaw } from "node:zlib";

export interface SheetSpec {
  readonly name: string;
  /** The `<row>` elements of `<sheetData>`, in order. */
  readonly rows: Iterable<string>;
  readonly state?: "hidden" | "veryHidden";
}

export interface WorkbookSpec {
  readonly sheets: readonly SheetSpec[];
  /** The shared strings, in index order: a text, or the XML inside its `<si>` (rich text). */
  readonly strings?: Iterable<string | { readonly xml: string }>;
  /** Custom number formats (id ≥ 164) and the cell styles: by index, each style's numFmtId. */
  readonly numFmts?: Readonly<Record<number, string>>;
  readonly styles?: readonly number[];
  readonly date1904?: boolean;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

/** `<` `&` `"` escaped for XML text and attributes. */
export function xmlText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export async function writeWorkbook(path: string, spec: WorkbookSpec): Promise<void> {
  const zip = new ZipWriter(path);
  const sheets = spec.sheets;
  await zip.add("[Content_Types].xml", [contentTypes(sheets.length)]);
  await zip.add("_rels/.rels", [
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ]);
  const tabs = sheets
    .map(
      (s, i) =>
        `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}"${s.state === undefined ? "" : ` state="${s.state}"`} r:id="rId${i + 1}"/>`,
    )
    .join("");
  await zip.add("xl/workbook.xml", [
    `${HEAD}<workbook ${NS} ${R_NS}><workbookPr${spec.date1904 === true ? ' date1904="1"' : ""} defaultThemeVersion="166925"/><bookViews><workbookView xWindow="0" yWindow="0"/></bookViews><sheets>${tabs}</sheets><calcPr calcId="191029"/></workbook>`,
  ]);
  const n = sheets.length;
  const rels = sheets.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  await zip.add("xl/_rels/workbook.xml.rels", [
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join("")}<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  ]);
  for (const [i, sheet] of sheets.entries()) {
    await zip.add(`xl/worksheets/sheet${i + 1}.xml`, sheetParts(sheet.rows));
  }
  await zip.add("xl/styles.xml", [styles(spec)]);
  await zip.add("xl/sharedStrings.xml", stringParts(spec.strings ?? []));
  await zip.finish();
}

/** A zip of the given files (name → text), written as writeWorkbook writes its parts. */
export async function writeZip(
  path: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  const zip = new ZipWriter(path);
  for (const [name, text] of Object.entries(files)) await zip.add(name, [text]);
  await zip.finish();
}

function* sheetParts(rows: Iterable<string>): Generator<string> {
  yield `${HEAD}<worksheet ${NS} ${R_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="16.5" x14ac:dyDescent="0.3"/><sheetData>`;
  yield* rows;
  yield '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
}

function* stringParts(strings: Iterable<string | { readonly xml: string }>): Generator<string> {
  yield `${HEAD}<sst ${NS}>`;
  for (const text of strings) {
    if (typeof text !== "string") yield `<si>${text.xml}</si>`;
    else
      yield /^\s|\s$/.test(text)
        ? `<si><t xml:space="preserve">${xmlText(text)}</t></si>`
        : `<si><t>${xmlText(text)}</t></si>`;
  }
  yield "</sst>";
}

function styles(spec: WorkbookSpec): string {
  const fmts = Object.entries(spec.numFmts ?? {});
  const numFmts =
    fmts.length === 0
      ? ""
      : `<numFmts count="${fmts.length}">${fmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`).join("")}</numFmts>`;
  const xfs = [0, ...(spec.styles ?? [])].map(
    (id) =>
      `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id === 0 ? "" : ' applyNumberFormat="1"'}/>`,
  );
  return `${HEAD}<styleSheet ${NS}>${numFmts}<fonts count="1"><font><sz val="11"/><name val="맑은 고딕"/><family val="2"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs><cellStyles count="1"><cellStyle name="표준" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
}

function contentTypes(sheets: number): string {
  const overrides = Array.from(
    { length: sheets },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join("");
  return `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`;
}

/** A zip written entry by entry, each deflated as it streams, sizes in data descriptors. */
class ZipWriter {
  readonly #out;
  #offset = 0;
  readonly #directory: Buffer[] = [];

  constructor(path: string) {
    this.#out = createWriteStream(path);
  }

  async #write(bytes: Buffer): Promise<void> {
    this.#offset += bytes.length;
    if (!this.#out.write(bytes)) await once(this.#out, "drain");
  }

  async add(name: string, parts: Iterable<string>): Promise<void> {
    const nameBytes = Buffer.from(name, "utf8");
    const start = this.#offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0808, 6); // data descriptor; UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(nameBytes.length, 26);
    await this.#write(Buffer.concat([local, nameBytes]));
    const deflate = createDeflateRaw({ level: 6 });
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const drained = (async () => {
      for await (const chunk of deflate) {
        compressed += (chunk as Buffer).length;
        await this.#write(chunk as Buffer);
      }
    })();
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = async () => {
      const bytes = Buffer.from(pending.join(""), "utf8");
      pending = [];
      pendingLength = 0;
      crc = crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await once(deflate, "drain");
    };
    for (const part of parts) {
      pending.push(part);
      pendingLength += part.length;
      if (pendingLength >= 1 << 16) await flush();
    }
    await flush();
    deflate.end();
    await drained;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.#write(descriptor);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0808, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(start, 42);
    this.#directory.push(Buffer.concat([central, nameBytes]));
  }

  async finish(): Promise<void> {
    const start = this.#offset;
    const directory = Buffer.concat(this.#directory);
    await this.#write(directory);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#directory.length, 8);
    end.writeUInt16LE(this.#directory.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.#write(end);
    this.#out.end();
    await once(this.#out, "finish");
  }
}
