import { describe, expect, test } from "vitest";
import { makeArrayConverter } from "../../../src/mapping/convert/array.js";
import { EMPTY, Invalid } from "../../../src/mapping/convert/invalid.js";
import { toLong } from "../../../src/mapping/convert/number.js";
import { toText } from "../../../src/mapping/convert/string.js";

const strings = makeArrayConverter({ element: toText, transform: undefined, split: "|" });
const longs = makeArrayConverter({ element: toLong, transform: undefined, split: "," });

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

  test("sends an explicit JSON [] as []", () => {
    expect(strings([])).toEqual([]);
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
    });
    expect(lower("A, B")).toEqual(["a", "b"]);
    expect(lower(["X"])).toEqual(["x"]);
  });
});
