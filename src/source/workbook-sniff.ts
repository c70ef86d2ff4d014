/**
 * What a file that is not text is, told by its first bytes (and its name where the bytes cannot
 * tell): an Excel workbook, a legacy `.xls`, an Apple Numbers or OpenDocument spreadsheet, some
 * other zip. Read as text, such a file fails in the decoder with advice that cannot help ("not
 * valid UTF-8 … try --encoding cp949", then "not valid CP949 … try utf8"); this names it and
 * says what to do instead.
 */

export type BinaryKind = "xlsx" | "xls" | "numbers" | "ods" | "zip";

/** Bytes enough to read the signature and the first zip entry's name. */
export const SNIFF_BYTES = 64;

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: a local file header
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06]; // an end of central directory alone
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // Compound File Binary

/** The kind of a binary input, or undefined when its first bytes are not one we know. */
export function sniffBinary(head: Buffer, name: string): BinaryKind | undefined {
  if (has(head, OLE2)) return "xls";
  if (has(head, EMPTY_ZIP)) return "zip";
  if (!has(head, ZIP)) return undefined;
  const lower = name.toLowerCase();
  if (lower.endsWith(".numbers")) return "numbers";
  const first = firstEntryName(head);
  if (first === undefined)
    return lower.endsWith(".xlsx") || lower.endsWith(".xlsm") ? "xlsx" : "zip";
  if (/^(?:\[Content_Types\]\.xml|_rels\/|docProps\/|xl\/)/.test(first)) return "xlsx";
  if (/^(?:Index\/|Metadata\/|preview(?:-micro|-web)?\.jpg)/.test(first)) return "numbers";
  if (first === "mimetype" && head.includes("opendocument.spreadsheet")) return "ods";
  return "zip";
}

/** The name of the zip's first entry, when its header is within `head`. */
function firstEntryName(head: Buffer): string | undefined {
  if (head.length < 30) return undefined;
  const length = head.readUInt16LE(26);
  const end = Math.min(30 + length, head.length);
  return end > 30 ? head.toString("latin1", 30, end) : undefined;
}

function has(head: Buffer, signature: readonly number[]): boolean {
  return head.length >= signature.length && signature.every((byte, i) => head[i] === byte);
}

/** What a file of this kind is, given where text was expected, and what to do with it. */
export function notTextMessage(kind: BinaryKind, stdin = false): string {
  switch (kind) {
    case "xlsx":
      return stdin
        ? `is an Excel workbook (.xlsx), not text, and ${XLSX_NOT_FROM_STDIN} with --format xlsx (or source.format: xlsx)`
        : "is an Excel workbook (.xlsx), not text: read it with --format xlsx (or source.format: xlsx); its first sheet is read, --sheet NAME|N picks another";
    case "xls":
    case "numbers":
    case "ods":
      return UNREAD[kind];
    case "zip":
      return "is a zip archive, not text: unzip it and pass the file inside (a gzip .gz file is read as it is)";
  }
}

/**
 * A workbook is a zip whose index is at its end: it is read from a file, never from a pipe. What
 * to do instead, for standard input given as a workbook (`-` with --format xlsx, or sniffed).
 */
export const XLSX_NOT_FROM_STDIN =
  "a workbook cannot be read from standard input (a zip's index is at its end): save it to a file and pass that file's path";

/** A workbook format that is not read, and how to turn it into one that is. */
const UNREAD = {
  xls: "is a legacy Excel workbook (.xls, the binary format of Excel 97-2003; a password-protected .xlsx is stored the same way), which is not read: open it in Excel or LibreOffice and save it as .xlsx without a password (then --format xlsx) or as CSV UTF-8",
  numbers:
    "is an Apple Numbers document, which is not read: in Numbers, File › Export To › Excel (or CSV), and import that file",
  ods: "is an OpenDocument spreadsheet (.ods), which is not read: save it as .xlsx (then --format xlsx) or as CSV UTF-8",
} as const;

/** Why a file given as a workbook is not one, and what to do. */
export function notWorkbookMessage(kind: BinaryKind | undefined): string {
  if (kind === "xls" || kind === "numbers" || kind === "ods") return UNREAD[kind];
  if (kind === "zip") {
    return "is a zip archive but not an Excel workbook (it has no xl/workbook.xml)";
  }
  return "is not an Excel workbook (.xlsx is a zip; this is not one): if it is text, pass --format csv, tsv or ndjson";
}
