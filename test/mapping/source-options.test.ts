import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { applyMapping } from "../../src/mapping/apply.js";
import { checkColumns } from "../../src/mapping/columns.js";
import { parseMapping } from "../../src/mapping/load.js";
import { issuesOf } from "./helpers.js";

const load = (yaml: string) => parseMapping(yaml, "m.yaml");
const row = (cells: Record<string, unknown>) => ({ kind: "row" as const, line: 2, cells });

describe("empty_values", () => {
  const mapping = load(`source:
  empty_values: ["-", "N/A", "없음", "0000-00-00"]
identity:
  external_id: id
  email: { column: email, empty_values: ["null", "-"] }
properties:
  df_birth: { column: birth, type: Date }
  memo: memo
  grade: { column: grade, empty: null }
  tier: { column: tier, default: basic }
  code: { column: code, empty_values: [] }
`);

  test("a marker (after trimming) is an empty cell, with every empty-cell rule", () => {
    const result = applyMapping(
      mapping,
      row({
        id: "u1",
        email: " null ",
        birth: "0000-00-00",
        memo: " 없음 ",
        grade: "N/A",
        tier: "-",
        code: "-",
      }),
      "csv",
    );
    expect(result).toEqual({
      ok: true,
      update: {
        identity: { external_id: "u1" },
        user_properties: { grade: null, tier: "basic", code: "-" },
      },
    });
  });

  test("a marker is an absent identifier, never an identity value", () => {
    const result = applyMapping(
      mapping,
      row({ id: " - ", email: "-", birth: "", memo: "x" }),
      "csv",
    );
    expect(result).toMatchObject({ ok: false, failure: { code: "NO_IDENTITY" } });
  });

  test("a field's own list replaces the source's: N/A is a value there, refused as a marker", () => {
    const result = applyMapping(mapping, row({ id: "u2", email: "N/A", memo: "" }), "csv");
    expect(result).toMatchObject({
      ok: false,
      failure: {
        stage: "mapping",
        code: "INVALID_IDENTITY",
        field: "email",
        message:
          'column "email": "N/A" is a "no value" marker, not an identifier (list it in empty_values to read it as absent)',
      },
    });
  });
});

describe("identity values are checked (INVALID_IDENTITY)", () => {
  const ids = load(`identity:
  external_id: id
  email: email
  phone_no: phone
  kakao_user_id: kakao
properties:
  memo: memo
`);
  const check = (cells: Record<string, string>) => applyMapping(ids, row(cells), "csv");

  test.each([
    [{ id: "NaN" }, "external_id", '"NaN" is a "no value" marker'],
    [{ id: "u1", email: "kim.example.com" }, "email", '"kim.example.com" is not an e-mail address'],
    [{ id: "u1", email: "kim@localhost" }, "email", '"kim@localhost" is not an e-mail address'],
    [{ id: "u1", phone: "010-1234-5678" }, "phone_no", "expected 8 to 15 digits"],
    [{ id: "u1", phone: "1234567" }, "phone_no", "expected 8 to 15 digits"],
    [{ id: "u1", kakao: "undefined" }, "kakao_user_id", '"undefined" is a "no value" marker'],
    [{ id: "-" }, "external_id", '"-" is a "no value" marker'],
  ])("%o is refused, naming %s", (cells, field, message) => {
    const result = check(cells);
    expect(result).toMatchObject({ ok: false, failure: { code: "INVALID_IDENTITY", field } });
    expect(result.ok || result.failure.message).toContain(message);
  });

  test("good values pass: addresses with + and IDN domains, 8–15 digits", () => {
    expect(
      check({ id: "u1", email: "kim+tag@한국.kr", phone: "821012345678", kakao: "k_1", memo: "" }),
    ).toMatchObject({
      ok: true,
      update: {
        identity: {
          external_id: "u1",
          email: "kim+tag@한국.kr",
          phone_no: "821012345678",
          kakao_user_id: "k_1",
        },
      },
    });
  });
});

describe("source: header, columns, dialect", () => {
  test("header: false needs columns; columns are unique; CSV keys do not go with ndjson", () => {
    expect(
      issuesOf("source:\n  header: false\nidentity:\n  external_id: id\nproperties:\n  a: a\n"),
    ).toEqual([
      {
        path: "source.header",
        line: 2,
        message: "a file without a header row needs source.columns: the column names, in order",
      },
    ]);
    expect(
      issuesOf(
        "source:\n  columns: [id, a, id]\nidentity:\n  external_id: id\nproperties:\n  a: a\n",
      ),
    ).toMatchObject([{ path: "source.columns.2", message: '"id" is named twice' }]);
    expect(
      issuesOf(
        "source:\n  format: ndjson\n  dialect: mysql\nidentity:\n  external_id: id\nproperties:\n  a: a\n",
      ),
    ).toMatchObject([
      { path: "source.dialect", message: "dialect applies to csv and tsv, not ndjson" },
    ]);
    expect(
      issuesOf("source:\n  dialect: oracle\nidentity:\n  external_id: id\nproperties:\n  a: a\n"),
    ).toMatchObject([{ path: "source.dialect" }]);
  });

  test("keeps them for the reader", () => {
    const m = load(
      "source:\n  header: false\n  columns: [id, a]\n  dialect: mysql\nidentity:\n  external_id: id\nproperties:\n  a: a\n",
    );
    expect(m.source).toMatchObject({ header: false, columns: ["id", "a"], dialect: "mysql" });
  });
});

describe("checkColumns and repeated header names", () => {
  const mapping = load("identity:\n  external_id: id\nproperties:\n  memo: 비고\n");

  test("a repeated name the mapping does not read is fine", () => {
    expect(() => checkColumns(mapping, ["id", "비고", "기타", "기타", ""], "x.csv")).not.toThrow();
  });

  test("a repeated name the mapping reads is an error naming it", () => {
    expect(() => checkColumns(mapping, ["id", "비고", "비고"], "x.csv")).toThrow(
      'x.csv:1: the header names "비고" more than once, and the mapping reads it: rename the columns or list them in source.columns',
    );
  });

  test("a header row that looks like data says how to read a file without one", () => {
    let error: unknown;
    try {
      checkColumns(mapping, ["u1", "kim@example.com", "2024-01-02"], "x.csv");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      /the header lacks 2 columns[\s\S]*if this file has no header row, set source\.header: false/,
    );
  });

  test("a header row of names gets no such hint", () => {
    expect(() => checkColumns(mapping, ["user", "memo"], "x.csv")).toThrow(
      /^(?![\s\S]*no header row)/,
    );
  });
});
