import { describe, expect, test } from "vitest";
import type { PropertyType } from "../../../src/api/dfinery.js";
import { type CellSpec, compileCell, convertContext } from "../../../src/mapping/convert/cell.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { SheetDate, SheetError } from "../../../src/util/sheet-values.js";

const ctx = convertContext("Asia/Seoul", "KR");

function cell(type: PropertyType, more: Partial<CellSpec> = {}) {
  return compileCell(
    { type, transforms: [], split: ",", trim: false, gender: false, ...more },
    ctx,
  );
}

/** 2024-03-01 09:30 as a workbook holds it: a wall-clock time, no zone. */
const morning = new SheetDate(Date.UTC(2024, 2, 1, 9, 30));
const midnight = new SheetDate(Date.UTC(2024, 2, 1));

describe("a workbook's date cell", () => {
  test("is a Datetime read in the source's zone, a Date its day, a String its ISO text", () => {
    expect(cell("Datetime")(morning)).toBe("2024-03-01T00:30:00.000Z");
    expect(cell("Datetime")(midnight)).toBe("2024-02-29T15:00:00.000Z");
    expect(cell("Date")(morning)).toBe("2024-03-01");
    expect(cell("String")(morning)).toBe("2024-03-01T09:30:00");
    expect(cell("String")(midnight)).toBe("2024-03-01");
  });

  test("is a date whatever format: the mapping states for text cells", () => {
    expect(cell("Datetime", { formats: ["yyyy.MM.dd HH:mm"] })(morning)).toBe(
      "2024-03-01T00:30:00.000Z",
    );
    expect(cell("Date", { formats: ["epoch_s"] })(midnight)).toBe("2024-03-01");
  });

  test("is no number or Boolean", () => {
    const out = cell("Long")(morning);
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).detail).toBe("2024-03-01T09:30:00 is a date cell, not a Long");
    expect(cell("Boolean")(midnight)).toBeInstanceOf(Invalid);
  });

  test("goes through transforms and a values table as its text", () => {
    const values = new Map([["2024-03-01", "opening day"]]);
    expect(cell("String", { values })(midnight)).toBe("opening day");
  });
});

describe("a workbook's error cell", () => {
  test("is refused by name for every type, never sent as its text", () => {
    for (const type of ["String", "Long", "Double", "Date", "Datetime", "Boolean"] as const) {
      const out = cell(type)(new SheetError("#N/A"));
      expect(out).toBeInstanceOf(Invalid);
      expect((out as Invalid).detail).toBe("the cell holds the Excel error #N/A");
    }
    const values = new Map([["#N/A", "none"]]);
    expect(cell("String", { values })(new SheetError("#N/A"))).toBeInstanceOf(Invalid);
  });
});

describe("a workbook's number cell into a String", () => {
  test("is its digits, never an exponent or a rounded id", () => {
    expect(cell("String")(10_000_000)).toBe("10000000");
    expect(cell("String")(1012345678)).toBe("1012345678");
    expect(cell("String")(0.1)).toBe("0.1");
  });
});
