import { describe, expect, test } from "vitest";
import type { CellError } from "../../src/errors.js";
import { FailingColumns, formatFailingColumn } from "../../src/sinks/failing-columns.js";

const cell = (column: string, value: unknown, code = "INVALID_VALUE"): CellError => ({
  stage: "mapping",
  code,
  message: "bad",
  field: column,
  column,
  value,
});

describe("FailingColumns", () => {
  test("counts a row once per column and code, keeps the first value, most rows first", () => {
    const failing = new FailingColumns();
    failing.add([cell("a", "1"), cell("a", "2"), cell("b", "x")]);
    failing.add([cell("b", "y"), cell("b", "z", "UNMAPPED_VALUE")]);
    failing.add([{ stage: "mapping", code: "NO_IDENTITY", message: "no identity" }]);
    expect(failing.top()).toEqual([
      { column: "b", field: "b", code: "INVALID_VALUE", rows: 2, example: "x" },
      { column: "a", field: "a", code: "INVALID_VALUE", rows: 1, example: "1" },
      { column: "b", field: "b", code: "UNMAPPED_VALUE", rows: 1, example: "z" },
    ]);
    expect(failing.top(1)).toHaveLength(1);
  });

  test("a summary line shows the value cut at 40 characters, a JSON value as JSON", () => {
    const line = (example: unknown) =>
      formatFailingColumn({ column: "c", field: "c", code: "INVALID_VALUE", rows: 1234, example });
    expect(line("x".repeat(45))).toBe(`c: 1,234 rows INVALID_VALUE "${"x".repeat(40)}…"`);
    expect(line({ a: 1 })).toBe('c: 1,234 rows INVALID_VALUE "{\\"a\\":1}"');
  });
});
