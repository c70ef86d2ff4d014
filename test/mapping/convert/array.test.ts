import { describe, expect, test } from "vitest";
import { makeArrayConverter } from "../../../src/mapping/convert/array.js";
import { EMPTY, Invalid } from "../../../src/mapping/convert/invalid.js";
import { toLong } from "../../../src/mapping/convert/number.js";
import { toText } from "../../../src/mapping/convert/string.js";

const arrays = (element: typeof toText | typeof toLong, split: string, pgArrays = false) =>
  makeArrayConverter({ element, transform: undefined, split, pgArrays });
const strings = arrays(toText, "|");
const longs = arrays(toLong, ",");
const pgStrings = arrays(toText, ",", true);
const pgLongs = arrays(toLong, ",", true);

describe("Array", () => {
  test("splits text on the separator, trims elements and drops empty ones", () => {
    expect(strings(" golf | wine ||travel|")).toEqual(["golf", "wine", "travel"]);
  });

  test("converts each element with the element type", () => {
    expect(longs("1, 2 ,3")).toEqual([1, 2, 3]);
  });

  test("an invalid element makes the value invalid, naming the element", () => {
    const out = longs("1,x,3");
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toBe(
      'element 2 of "1,x,3": "x" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
    );
  });

  test("text with no element is an empty cell", () => {
    expect(strings(" | | ")).toBe(EMPTY);
  });

  test("converts a JSON array element by element", () => {
    expect(longs([1, "2", 3])).toEqual([1, 2, 3]);
    expect(strings(["a", 1, true, " b ", null, ""])).toEqual(["a", "1", "true", "b"]);
    const out = longs([1, 2.5]);
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toContain("element 2: 2.5 is not a Long");
  });

  test("sends an explicit JSON [] as [], and a cell holding [] too", () => {
    expect(strings([])).toEqual([]);
    expect(strings(" [] ")).toEqual([]);
    expect(strings("{}")).toEqual(["{}"]); // PostgreSQL's empty array only with its dialect
  });

  test("with dialect postgres, text in braces is a PostgreSQL array literal", () => {
    expect(pgStrings('{"Seoul, KR","new user"}')).toEqual(["Seoul, KR", "new user"]);
    expect(pgStrings("{golf, wine ,travel}")).toEqual(["golf", "wine", "travel"]);
    expect(pgStrings('{NULL,"NULL",null,"",x}')).toEqual(["NULL", "x"]);
    expect(pgStrings('{"say \\"hi\\"","back\\\\slash",{}')).toBeInstanceOf(Invalid);
    expect(pgStrings('{"say \\"hi\\"","back\\\\slash"}')).toEqual(['say "hi"', "back\\slash"]);
    expect(pgStrings("{}")).toEqual([]);
    expect(pgStrings(" { } ")).toEqual([]);
    expect(pgStrings("{NULL}")).toEqual([]);
    expect(pgStrings("a,b")).toEqual(["a", "b"]); // not in braces: split as any text
    expect(pgLongs("{1,2,NULL,3}")).toEqual([1, 2, 3]);
    expect((pgStrings("{{1,2},{3,4}}") as Invalid).detail).toBe(
      '"{{1,2},{3,4}}" is an array of arrays, not a list of values',
    );
    expect((pgStrings('{"open}') as Invalid).detail).toBe(
      '"{\\"open}" has a quote that is not closed',
    );
    expect((pgLongs("{1,x}") as Invalid).detail).toBe(
      'element 2 of "{1,x}": "x" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
    );
  });

  test("rejects an object and objects inside the array", () => {
    expect(strings({ a: 1 })).toBeInstanceOf(Invalid);
    expect(strings([{ a: 1 }])).toBeInstanceOf(Invalid);
  });

  test("applies transforms to each element", () => {
    const lower = makeArrayConverter({
      element: toText,
      transform: (s) => s.toLowerCase(),
      split: ",",
      pgArrays: false,
    });
    expect(lower("A, B")).toEqual(["a", "b"]);
    expect(lower(["X"])).toEqual(["x"]);
  });
});
