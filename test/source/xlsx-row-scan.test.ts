import { describe, expect, it } from "vitest";
import { SharedStrings } from "../../src/source/shared-strings.js";
import type { WorkbookParts } from "../../src/source/xlsx-parts.js";
import { RowScanner } from "../../src/source/xlsx-row-scan.js";
import { SheetRows } from "../../src/source/xlsx-sheet.js";
import { StringScanner, stringsHandler } from "../../src/source/xlsx-strings-scan.js";
import { ROW, SI } from "../../src/source/xml-bytes.js";
import { XmlScanner } from "../../src/source/xml-scan.js";
import { UnitScanner } from "../../src/source/xml-units.js";

// The byte scanners read every part exactly as xml-scan.ts with SheetRows (or the shared
// strings' handler) reads it, wherever the chunks end: the same rows, values and errors.

const TEXTS = ["gold", "김철수", "a & b", "user1@example.com"];

function book(date1904 = false): WorkbookParts {
  const strings = new SharedStrings();
  for (const text of TEXTS) strings.push(text);
  // styles: 0 plain, 1 a date, 2 a time of day, 3 a duration
  return { sheets: [], date1904, dateStyles: [undefined, "date", "time", "elapsed"], strings };
}

const HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="urn:main" xmlns:x14ac="urn:ac"><dimension ref="A1:K9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="2" width="12"/></cols><sheetData>`;
const TAIL = `</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7"/></worksheet>`;

/** Rows the byte scanner reads itself (it must not leave them to xml-scan.ts). */
const PLAIN = [
  `<row r="1" spans="1:6" x14ac:dyDescent="0.3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s" s="0"><v>2</v></c></row>`,
  `<row r="2"><c r="A2"><v>12</v></c><c r="B2" s="1"><v>45352.375</v></c><c r="C2" s="1"><v>44928.000011574077</v></c><c r="D2" s="2"><v>0.5</v></c><c r="E2" s="3"><v>1.5104166666666667</v></c></row>`,
  `<row r="3"><c r="A3"><v>-0</v></c><c r="B3"><v>-12.250</v></c><c r="C3"><v>12345678901234567890</v></c><c r="D3"><v>1E-3</v></c><c r="E3"><v>0.1000000000000000055511</v></c><c r="F3"><v>007</v></c><c r="G3"><v> 12</v></c><c r="H3"><v>1.</v></c><c r="I3"><v>.5</v></c><c r="J3"><v>9007199254740993</v></c></row>`,
  `<row r="5" s="1" customFormat="1"><c r="A5" s="1"/><c r="B5" t="s"><v>3</v></c><c r="D5" t="b"><v>1</v></c><c r="E5" t="b"><v>0</v></c><c r="F5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="G5" t="str"><f>"a"&amp;"b"</f><v>a&amp;b_x000D_</v></c><c r="H5" t="d"><v>2024-03-01T09:30:00</v></c><c r="I5" t="n"><v>3</v></c><c r="J5" t="x"><v>4</v></c></row>`,
  `<row r="6"><c r="A6" t="inlineStr"><is><r><t>첫 줄_x000D_</t></r><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">\r\n둘째 &amp; "셋째"</t></r><rPh sb="0" eb="1"><t>ヤ</t></rPh></is></c><c r="B6" t="inlineStr"><is><t/></is></c><c r="C6" t="inlineStr"><is><t>x</t></is></c></row>`,
  `<row><c><v>1</v></c><c><v>2</v></c><c r="E7"><v>3</v></c><c><v>4</v></c></row><row r="8"/><row><c r="A9" t="s"><v></v></c><c r='B9' t='s'><v>1</v></c><c r="C9"><v/></c></row>`,
  `<x:row r="10"><x:c r="A10" t="s"><x:v>2</x:v></x:c><c r="B10" ><v >5</v ></c></x:row>`,
  `<row r="11">\n  <c r="A11" t="s">\n    <v>1</v>\n  </c>\n  <c r="C11"><v>2.5</v><v>3.5</v></c><c r="D11" t="s"><v>&#51;</v></c><c r="E11"><v>1\r\n2</v></c></row>`,
  `<row r="12"><c r="A12" t="s"><v>0</v></c><c r="k12"><v>1</v></c></row>`,
];

/** Rows with markup it leaves to xml-scan.ts (from that row on). */
const ODD = [
  `<row r="20"><c r="A20"><v><![CDATA[12]]></v></c></row><row r="21"><c r="A21"><v>1</v></c></row>`,
  `<row r="20"><!-- a note --><c r="A20"><v>1</v></c></row><row><c><v>2</v></c></row>`,
  `<row r="20"><c r="A20" t="&#115;"><v>1</v></c></row>`,
  `<row r="20"><row r="21"><c><v>1</v></c></row></row>`,
];

function viaText(xml: string, parts: WorkbookParts): unknown {
  const rows = new SheetRows(parts, "f.xlsx");
  const scanner = new XmlScanner(rows);
  try {
    scanner.write(xml);
    scanner.close();
  } catch (error) {
    return { error: (error as Error).message, rows: rows.rows };
  }
  return rows.rows;
}

function viaBytes(
  chunks: readonly Buffer[],
  parts: WorkbookParts,
): { read: unknown; bailed: boolean } {
  const rows = new SheetRows(parts, "f.xlsx");
  const scanner = new UnitScanner(ROW, new RowScanner(rows, parts, "f.xlsx"), rows);
  try {
    for (const chunk of chunks) scanner.write(chunk);
    scanner.close();
  } catch (error) {
    return { read: { error: (error as Error).message, rows: rows.rows }, bailed: scanner.bailed };
  }
  return { read: rows.rows, bailed: scanner.bailed };
}

/** The bytes cut in two at every place (inside a tag, a number, a character), and one by one. */
function* cuts(bytes: Buffer): Generator<Buffer[]> {
  yield [bytes];
  for (let at = 1; at < bytes.length; at++) yield [bytes.subarray(0, at), bytes.subarray(at)];
  yield [...bytes].map((byte) => Buffer.from([byte]));
}

function expectSame(xml: string, bails: boolean, date1904 = false): void {
  const bytes = Buffer.from(xml, "utf8");
  const expected = viaText(xml, book(date1904));
  for (const chunks of cuts(bytes)) {
    const { read, bailed } = viaBytes(chunks, book(date1904));
    expect(read).toEqual(expected);
    expect(bailed).toBe(bails);
  }
}

describe("a sheet read as bytes", () => {
  it("reads every row as xml-scan.ts does: types, styles, dates, inline strings, prefixes, odd numbers", () => {
    expect(viaText(`${HEAD}${PLAIN.join("")}${TAIL}`, book())).toHaveLength(10);
    expectSame(`${HEAD}${PLAIN.join("")}${TAIL}`, false);
    expectSame(`${HEAD}${PLAIN.slice(1, 3).join("")}${TAIL}`, false, true);
  });

  it("leaves comments, CDATA and odd markup in a row to xml-scan.ts, from that row on", () => {
    for (const odd of ODD) expectSame(`${HEAD}${PLAIN[1]}${odd}${PLAIN[2]}${TAIL}`, true);
  });

  it("skips a comment or CDATA between rows, a row's name inside it included", () => {
    const xml = `${HEAD}${PLAIN[0]}<!-- <row r="3"><c><v>1</v></c></row> -->\n${PLAIN[1]}${TAIL}`;
    expectSame(xml, false);
  });

  it("names the cell of a shared string the workbook lacks, and refuses a part cut in a row", () => {
    expectSame(`${HEAD}${PLAIN[0]}<row r="2"><c r="A2" t="s"><v>9</v></c></row>${TAIL}`, false);
    expectSame(`${HEAD}${PLAIN[0]}<row r="2"><c r="A2"><v>1</v`, false);
    expectSame(`${HEAD}${PLAIN[0]}<!DOCTYPE x>${PLAIN[1]}`, false);
  });
});

function stringsViaText(xml: string): (string | undefined)[] {
  const strings = new SharedStrings();
  const scanner = new XmlScanner(stringsHandler(strings));
  scanner.write(xml);
  scanner.close();
  return Array.from({ length: strings.size }, (_, i) => strings.get(i));
}

describe("shared strings read as bytes", () => {
  const SST = `<?xml version="1.0" encoding="UTF-8"?>\r\n<sst xmlns="urn:main" count="9" uniqueCount="9"><si><t>user1@example.com</t></si><si><t xml:space="preserve"> 김철수 </t></si><si><t>a &amp; b&#x1F600;</t></si><si><t>line_x000D_\r\nnext</t></si><si><r><rPr><b/></rPr><t>bold</t></r><r><t> plain</t></r></si><si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/></si><si><t/></si><si/><x:si><x:t>prefixed</x:t></x:si></sst>`;

  it("keeps each text as xml-scan.ts reads it, wherever the chunks end", () => {
    const expected = stringsViaText(SST);
    expect(expected).toHaveLength(9);
    for (const chunks of cuts(Buffer.from(SST, "utf8"))) {
      const strings = new SharedStrings();
      const scanner = new UnitScanner(SI, new StringScanner(strings), {
        open() {},
        close() {},
        text() {},
      });
      for (const chunk of chunks) scanner.write(chunk);
      scanner.close();
      expect(scanner.bailed).toBe(false);
      expect(Array.from({ length: strings.size }, (_, i) => strings.get(i))).toEqual(expected);
    }
  });
});
