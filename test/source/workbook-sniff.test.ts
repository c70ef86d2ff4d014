import { createReadStream } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeWorkbook } from "../../bench/xlsx-file.js";
import { readSource } from "../../src/source/read.js";
import { sniffBinary } from "../../src/source/workbook-sniff.js";
import { collect, tempDir, tempFile } from "./helpers.js";

/** A zip's first local header, naming its first entry (what the sniff reads). */
function zipHead(first: string, rest = ""): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(Buffer.byteLength(first), 26);
  return Buffer.concat([header, Buffer.from(first), Buffer.from(rest)]);
}

const asText = (path: string) => collect(readSource({ input: path, format: "csv" }));

describe("a binary file given as text", () => {
  it("is told by its first bytes", () => {
    expect(sniffBinary(zipHead("[Content_Types].xml"), "a.csv")).toBe("xlsx");
    expect(sniffBinary(zipHead("xl/worksheets/sheet1.xml"), "a")).toBe("xlsx");
    expect(sniffBinary(zipHead("Index/Document.iwa"), "a.csv")).toBe("numbers");
    expect(sniffBinary(zipHead("anything"), "report.numbers")).toBe("numbers");
    expect(
      sniffBinary(zipHead("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), "a"),
    ).toBe("ods");
    expect(sniffBinary(zipHead("users.csv"), "users.zip")).toBe("zip");
    expect(sniffBinary(Buffer.from("d0cf11e0a1b11ae1", "hex"), "a.csv")).toBe("xls");
    expect(sniffBinary(Buffer.from("user_id,name\n"), "a.csv")).toBeUndefined();
    expect(sniffBinary(Buffer.from("PK"), "a.csv")).toBeUndefined(); // too short to be a zip
  });

  it("an .xlsx named .csv is named, with the flag that reads it (not an encoding to try)", async () => {
    const path = join(await tempDir(), "users.csv");
    await writeWorkbook(path, { sheets: [{ name: "Sheet1", rows: [] }] });
    await expect(asText(path)).rejects.toThrow(
      `${path}: is an Excel workbook (.xlsx), not text: read it with --format xlsx (or source.format: xlsx); its first sheet is read, --sheet NAME|N picks another`,
    );
  });

  it("a workbook on standard input is named, with what to do: save it to a file (with or without --format xlsx)", async () => {
    const path = join(await tempDir(), "users.xlsx");
    await writeWorkbook(path, { sheets: [{ name: "Sheet1", rows: [] }] });
    const stdin = (format: "csv" | "xlsx") =>
      collect(readSource({ input: "-", format, stdin: createReadStream(path) }));
    const save =
      "a workbook cannot be read from standard input (a zip's index is at its end): save it to a file and pass that file's path";
    await expect(stdin("csv")).rejects.toThrow(
      `<stdin>: is an Excel workbook (.xlsx), not text, and ${save} with --format xlsx (or source.format: xlsx)`,
    );
    await expect(stdin("xlsx")).rejects.toThrow(
      `<stdin>: is read as a workbook (--format xlsx), but ${save}`,
    );
  });

  it("a Numbers document, a zip and a legacy .xls are each named, with what to do", async () => {
    const numbers = await tempFile("export.csv", zipHead("Index/Document.iwa", "x".repeat(64)));
    await expect(asText(numbers)).rejects.toThrow(
      `${numbers}: is an Apple Numbers document, which is not read: in Numbers, File › Export To › Excel (or CSV), and import that file`,
    );
    const zip = await tempFile("users.csv", zipHead("users.csv", "x".repeat(64)));
    await expect(asText(zip)).rejects.toThrow(
      `${zip}: is a zip archive, not text: unzip it and pass the file inside (a gzip .gz file is read as it is)`,
    );
    const xls = await tempFile(
      "users.csv",
      Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(512)]),
    );
    await expect(asText(xls)).rejects.toThrow(`${xls}: is a legacy Excel workbook (.xls`);
  });
});
