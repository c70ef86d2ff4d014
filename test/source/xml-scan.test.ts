import { describe, expect, it } from "vitest";
import type { XmlHandler } from "../../src/source/xml.js";
import { XmlScanner } from "../../src/source/xml-scan.js";

/** What a scanner told its handler, as lines, the text between tags joined. */
function events(chunks: readonly string[]): string[] {
  const out: string[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") out.push(`text ${JSON.stringify(text)}`);
    text = "";
  };
  const handler: XmlHandler = {
    open(name, attributes) {
      flush();
      out.push(`open ${name} ${JSON.stringify(attributes)}`);
    },
    close(name) {
      flush();
      out.push(`close ${name}`);
    },
    text(value) {
      text += value;
    },
  };
  const scanner = new XmlScanner(handler);
  for (const chunk of chunks) scanner.write(chunk);
  scanner.close();
  flush();
  return out;
}

const DOC = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r
<!-- a comment with <c> inside --><x:sheetData xmlns:x="urn:x"><x:row r="2" spans='1:3'>\
<c r="A2" t="s"><v>12</v></c><c r="B2" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;&#xAC00;&#44032;&quot;\r\n</t></is></c>\
<c r="C2" s="1"/><c r="D2" t="str"><f>"x"&amp;"y"</f><v><![CDATA[<raw> & text]]></v></c></x:row></x:sheetData>`;

const EXPECTED = [
  'text "\\n"', // the line break after the declaration (\r\n read as \n)
  'open sheetData {"xmlns:x":"urn:x"}',
  'open row {"r":"2","spans":"1:3"}',
  'open c {"r":"A2","t":"s"}',
  "open v {}",
  'text "12"',
  "close v",
  "close c",
  'open c {"r":"B2","t":"inlineStr"}',
  "open is {}",
  'open t {"xml:space":"preserve"}',
  'text " a & b <가가\\"\\n"',
  "close t",
  "close is",
  "close c",
  'open c {"r":"C2","s":"1"}',
  "close c",
  'open c {"r":"D2","t":"str"}',
  "open f {}",
  'text "\\"x\\"&\\"y\\""',
  "close f",
  "open v {}",
  'text "<raw> & text"',
  "close v",
  "close c",
  "close row",
  "close sheetData",
];

describe("the XML scanner", () => {
  it("tells tags without their prefix, attributes and text decoded, CDATA as text; skips the rest", () => {
    expect(events([DOC])).toEqual([...EXPECTED]);
  });

  it("reads the same whatever the chunks: a chunk may end in a tag, a name, an entity", () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < DOC.length; i += size) chunks.push(DOC.slice(i, i + size));
      expect(events(chunks)).toEqual([...EXPECTED]);
    }
  });

  it("refuses a document type declaration and a part that ends inside a tag", () => {
    expect(() => events(['<!DOCTYPE x [<!ENTITY a "b">]><x/>'])).toThrow(
      "a document type declaration, which a workbook's XML may not have",
    );
    expect(() => events(['<row r="1"><c r="A'])).toThrow('the part ends inside "<c r=\\"A"');
  });
});
