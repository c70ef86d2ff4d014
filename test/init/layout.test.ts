import { describe, expect, test } from "vitest";
import { findDialect, firstRowIsData } from "../../src/init/layout.js";

describe("a first line of data", () => {
  test("is told by a NULL or an e-mail address, or by numbers and dates in half its cells", () => {
    expect(firstRowIsData(["1", "kim@example.com", "Kim"])).toBe(
      'the first line is data, not column names: "1", "kim@example.com"',
    );
    expect(firstRowIsData(["7", "\\N", "Lee"])).toBe(
      'the first line is data, not column names: "7", "\\\\N"',
    );
    expect(firstRowIsData(["12", "2024-03-01", "Park"])).toBe(
      'the first line is data, not column names: "12", "2024-03-01"',
    );
  });

  test("is not told by one number among names (a pivot's year), nor by names alone", () => {
    expect(firstRowIsData(["name", "region", "city", "2024"])).toBeUndefined();
    expect(firstRowIsData(["회원번호", "이메일", "가입일"])).toBeUndefined();
  });
});

describe("a dump's dialect", () => {
  test("\\N cells or backslash escapes make a dump: PostgreSQL's, or MySQL's when it writes \\0", () => {
    expect(findDialect(["1\tkim\t\\N", "2\tlee\tfirst\\nsecond"], "\t")?.name).toBe("postgres");
    expect(findDialect(["1\tkim\t\\N", "2\tlee\ta\\0b"], "\t")?.name).toBe("mysql");
  });

  test("plain CSV, quoted, is none", () => {
    expect(findDialect(['1,"kim",x', '2,"C:\\temp",y'], ",")).toBeUndefined();
    expect(findDialect(["1,kim,x"], ",")).toBeUndefined();
  });
});
