import { describe, expect, test } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { lineOf } from "../../src/mapping/locate.js";

const text = `identity:
  external_id: id
properties:
  points:
    column: p
    type: Lng
  tags: { column: t, split: "|" }
  list:
    - a
    - b
`;
const lineCounter = new LineCounter();
const doc = parseDocument(text, { lineCounter });

describe("lineOf", () => {
  test("maps a dotted path to the line of its key", () => {
    expect(lineOf(doc, lineCounter, ["properties", "points", "type"])).toBe(6);
    expect(lineOf(doc, lineCounter, ["properties", "tags", "split"])).toBe(7);
    expect(lineOf(doc, lineCounter, ["properties", "list", 1])).toBe(10);
  });

  test("a missing key points at its deepest existing parent", () => {
    expect(lineOf(doc, lineCounter, ["properties", "points", "default"])).toBe(4);
    expect(lineOf(doc, lineCounter, ["source", "timezone"])).toBe(1);
  });
});
