import { describe, expect, test } from "vitest";
import { applyMapping, type MappingResult } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { SourceFormat } from "../../src/source/types.js";

const load = (yaml: string) => parseMapping(yaml, "m.yaml");
const run = (
  yaml: string,
  cells: Record<string, unknown>,
  format: SourceFormat = "csv",
): MappingResult => applyMapping(load(yaml), { kind: "row", line: 2, cells }, format);

function ok(result: MappingResult) {
  if (!result.ok) throw new Error(`expected a mapped row, got ${result.failure.message}`);
  return result.update;
}
function failed(result: MappingResult) {
  if (result.ok) throw new Error("expected a failure");
  return result.failure;
}

const PROFILE = `
source: { timezone: Asia/Seoul }
identity:
  external_id: 회원번호
  email: { column: email, transform: [trim, lowercase] }
  phone_no: { column: mobile, transform: [phone] }
properties:
  df_name: 이름
  df_gender: { column: 성별, values: { 남: Male, 여: Female } }
  df_birth: birthday
  df_sms_ads_optin: sms_agree
  points: { column: points, type: Long }
  ltv: { column: ltv, type: Double }
  joined_at: { column: joined, type: Datetime }
  interests: { column: tags, type: Array of String, split: "|" }
  plan: { value: gold }
  tier: { column: tier, default: basic }
`;

const ROW = {
  회원번호: "1001",
  email: " Kim@Example.COM ",
  mobile: "010-1234-5678",
  이름: "김철수",
  성별: "남",
  birthday: "1990.01.02",
  sms_agree: "Y",
  points: "1,555,144",
  ltv: "1,234.5",
  joined: "2024-03-01 09:00",
  tags: "golf | wine",
  tier: "",
};

describe("applyMapping", () => {
  test("maps a CSV row to a profile update", () => {
    expect(ok(run(PROFILE, ROW))).toEqual({
      identity: { external_id: "1001", email: "kim@example.com", phone_no: "821012345678" },
      user_properties: {
        df_name: "김철수",
        df_gender: "Male",
        df_birth: "1990-01-02",
        df_sms_ads_optin: true,
        points: 1555144,
        ltv: 1234.5,
        joined_at: "2024-03-01T00:00:00.000Z",
        interests: ["golf", "wine"],
        plan: "gold",
        tier: "basic",
      },
    });
  });

  test("never sends a row with an unparseable consent value", () => {
    const failure = failed(run(PROFILE, { ...ROW, sms_agree: "maybe" }));
    expect(failure).toEqual({
      stage: "mapping",
      code: "INVALID_VALUE",
      field: "df_sms_ads_optin",
      message:
        'column "sms_agree": "maybe" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)',
      errors: [
        {
          stage: "mapping",
          code: "INVALID_VALUE",
          field: "df_sms_ads_optin",
          column: "sms_agree",
          value: "maybe",
          message: '"maybe" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)',
        },
      ],
    });
  });

  test("reports every field's problem in one message; code and field are the first's", () => {
    const failure = failed(run(PROFILE, { ...ROW, 성별: "X", points: "12.5", mobile: "123" }));
    expect(failure.code).toBe("INVALID_IDENTITY");
    expect(failure.field).toBe("phone_no");
    expect(failure.message).toBe(
      [
        'column "mobile": "123" is not a valid phone number of KR, the country assumed (a number of another country needs its +country code)',
        'column "성별": "X" is not in the values table (expected "남", "여")',
        'column "points": "12.5" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
      ].join("; "),
    );
    expect(failure.errors).toEqual([
      {
        stage: "mapping",
        code: "INVALID_IDENTITY",
        field: "phone_no",
        column: "mobile",
        value: "123",
        message:
          '"123" is not a valid phone number of KR, the country assumed (a number of another country needs its +country code)',
      },
      {
        stage: "mapping",
        code: "UNMAPPED_VALUE",
        field: "df_gender",
        column: "성별",
        value: "X",
        message: '"X" is not in the values table (expected "남", "여")',
      },
      {
        stage: "mapping",
        code: "INVALID_VALUE",
        field: "points",
        column: "points",
        value: "12.5",
        message: '"12.5" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
      },
    ]);
  });

  test("a cell missing from values is UNMAPPED_VALUE", () => {
    expect(failed(run(PROFILE, { ...ROW, 성별: "Male" }))).toMatchObject({
      code: "UNMAPPED_VALUE",
      field: "df_gender",
    });
  });

  test("a cell missing from values is UNMAPPED_VALUE even with a default; the default is for empty cells", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  df_gender: { column: g, values: { 남: Male }, default: Other }\n";
    expect(failed(run(yaml, { id: "1", g: "?" }))).toMatchObject({
      code: "UNMAPPED_VALUE",
      field: "df_gender",
      message: 'column "g": "?" is not in the values table (expected "남")',
    });
    expect(ok(run(yaml, { id: "1", g: "" })).user_properties).toEqual({ df_gender: "Other" });
    expect(ok(run(yaml, { id: "1", g: "  " })).user_properties).toEqual({ df_gender: "Other" });
    expect(ok(run(yaml, { id: "1" })).user_properties).toEqual({ df_gender: "Other" });
  });

  test("a consent flag with values and a default never guesses a cell missing from values", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  df_sms_ads_optin: { column: c, type: Boolean, values: { 동의: true, 거부: false }, default: false }\n";
    for (const cell of ["동의함", "Y", "N", "true", "거부 "]) {
      const result = run(yaml, { id: "1", c: cell });
      if (cell === "거부 ") {
        expect(ok(result).user_properties).toEqual({ df_sms_ads_optin: false });
        continue;
      }
      expect(failed(result)).toMatchObject({ code: "UNMAPPED_VALUE", field: "df_sms_ads_optin" });
    }
    expect(ok(run(yaml, { id: "1", c: "동의" })).user_properties).toEqual({
      df_sms_ads_optin: true,
    });
    expect(ok(run(yaml, { id: "1", c: "" })).user_properties).toEqual({
      df_sms_ads_optin: false,
    });
  });

  test("a default never stands in for an invalid cell (no values table)", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  df_sms_ads_optin: { column: c, type: Boolean, default: false }\n  n: { column: n, type: Long, default: 0 }\n";
    expect(failed(run(yaml, { id: "1", c: "maybe", n: "1" }))).toMatchObject({
      code: "INVALID_VALUE",
      field: "df_sms_ads_optin",
    });
    expect(failed(run(yaml, { id: "1", c: "y", n: "lots" }))).toMatchObject({
      code: "INVALID_VALUE",
      field: "n",
    });
    expect(ok(run(yaml, { id: "1", c: "", n: "" })).user_properties).toEqual({
      df_sms_ads_optin: false,
      n: 0,
    });
  });

  test("a String cell is trimmed before its values lookup", () => {
    expect(ok(run(PROFILE, { ...ROW, 성별: " 여" })).user_properties).toMatchObject({
      df_gender: "Female",
    });
    expect(ok(run(PROFILE, { ...ROW, 성별: "남\t" })).user_properties).toMatchObject({
      df_gender: "Male",
    });
  });

  test("an NDJSON number is looked up in values as its text", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  level: { column: l, values: { 1: bronze, 2: silver } }\n";
    expect(ok(run(yaml, { id: "1", l: 2 }, "ndjson")).user_properties).toEqual({ level: "silver" });
    expect(failed(run(yaml, { id: "1", l: 3 }, "ndjson"))).toMatchObject({
      code: "UNMAPPED_VALUE",
    });
  });

  test("a String without values is sent as given, spaces kept, unless trim is listed", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  a: a\n  b: { column: b, transform: [trim] }\n";
    expect(ok(run(yaml, { id: "1", a: " x ", b: " y " })).user_properties).toEqual({
      a: " x ",
      b: "y",
    });
  });

  test("matches values exactly after transforms", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  vip: { column: v, type: Boolean, transform: [lowercase], values: { y: true, n: false } }\n";
    expect(ok(run(yaml, { id: "1", v: " Y " })).user_properties).toEqual({ vip: true });
  });

  test("a df_gender cell outside DFINERY's values is invalid", () => {
    const yaml = "identity: { external_id: id }\nproperties:\n  df_gender: g\n";
    expect(failed(run(yaml, { id: "1", g: "male" }))).toMatchObject({
      code: "INVALID_VALUE",
      field: "df_gender",
    });
    expect(ok(run(yaml, { id: "1", g: "NonBinary" })).user_properties).toEqual({
      df_gender: "NonBinary",
    });
  });

  test("a row without identity is invalid", () => {
    const failure = failed(run(PROFILE, { ...ROW, 회원번호: "", email: "  ", mobile: "" }));
    expect(failure).toEqual({
      stage: "mapping",
      code: "NO_IDENTITY",
      message: 'no identity: columns "회원번호", "mobile", "email" are all empty',
      errors: [
        {
          stage: "mapping",
          code: "NO_IDENTITY",
          message: 'no identity: columns "회원번호", "mobile", "email" are all empty',
        },
      ],
    });
  });

  test("trims identity values and leaves empty ones out", () => {
    const update = ok(run(PROFILE, { ...ROW, 회원번호: "  1001 ", email: " ", mobile: "" }));
    expect(update.identity).toEqual({ external_id: "1001" });
  });

  test("an invalid phone number makes the row invalid, even with another identity", () => {
    expect(failed(run(PROFILE, { ...ROW, mobile: "010-12" }))).toMatchObject({
      code: "INVALID_IDENTITY",
      field: "phone_no",
    });
  });

  test("leaves out empty cells by default", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  a: a\n  n: { column: n, type: Long }\n  b: { column: b, type: Boolean }\n";
    expect(ok(run(yaml, { id: "1", a: "", n: "  ", b: "" })).user_properties).toEqual({});
  });

  test("sends null with empty: null", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  a: { column: a, empty: null }\n  n: { column: n, type: Long }\n";
    expect(ok(run(yaml, { id: "1", a: "", n: "" })).user_properties).toEqual({ a: null });
    const all = `source: { empty: null }\n${yaml}`;
    expect(ok(run(all, { id: "1", a: "", n: " " })).user_properties).toEqual({ a: null, n: null });
  });

  test("sends String values as given, spaces included, unless trim is listed", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  a: a\n  b: { column: b, transform: [trim] }\n";
    expect(ok(run(yaml, { id: "1", a: " x ", b: " y " })).user_properties).toEqual({
      a: " x ",
      b: "y",
    });
    expect(ok(run(yaml, { id: "1", a: "  ", b: "  " })).user_properties).toEqual({ a: "  " });
  });

  test("trims typed cells before converting", () => {
    const yaml =
      "identity: { external_id: id }\nproperties:\n  n: { column: n, type: Long }\n  d: { column: d, type: Date }\n";
    expect(ok(run(yaml, { id: "1", n: " 42 ", d: " 20240301 " })).user_properties).toEqual({
      n: 42,
      d: "2024-03-01",
    });
  });

  test("truncates long values in messages", () => {
    const yaml = "identity: { external_id: id }\nproperties:\n  n: { column: n, type: Long }\n";
    const failure = failed(run(yaml, { id: "1", n: `${"9".repeat(50)}x` }));
    expect(failure.message).toBe(
      `column "n": "${"9".repeat(40)}…" (51 chars) is not a Long (expected an integer such as 42, -5 or 1,555,144)`,
    );
  });

  test("user_properties over 8 KB is TOO_LARGE", () => {
    const yaml = "identity: { external_id: id }\nproperties:\n  a: a\n  b: b\n";
    const failure = failed(run(yaml, { id: "1", a: "x".repeat(6000), b: "y".repeat(3000) }));
    expect(failure.code).toBe("TOO_LARGE");
    expect(failure.field).toBe("a");
    expect(failure.message).toContain("9015 bytes as JSON, over DFINERY's 8192-byte limit");
  });

  test("counts UTF-8 bytes for the 8 KB limit", () => {
    const yaml = "identity: { external_id: id }\nproperties:\n  a: a\n";
    expect(ok(run(yaml, { id: "1", a: "가".repeat(2700) })).user_properties.a).toHaveLength(2700); // 8,100 + 8 bytes
    expect(failed(run(yaml, { id: "1", a: "가".repeat(2800) })).code).toBe("TOO_LARGE");
  });
});

describe("applyMapping on NDJSON", () => {
  const yaml = `
identity:
  external_id: user.id
properties:
  points: { column: stats.points, type: Long }
  vip: { column: flags.vip, type: Boolean }
  name: user.name
  tags: { column: tags, type: Array of Long }
  nick: { column: user.nick, empty: null }
`;

  test("dotted paths in NDJSON", () => {
    const cells = {
      user: { id: 42, name: "Kim" },
      stats: { points: 1500 },
      flags: { vip: true },
      tags: [1, "2"],
    };
    expect(ok(run(yaml, cells, "ndjson"))).toEqual({
      identity: { external_id: "42" },
      user_properties: { points: 1500, vip: true, name: "Kim", tags: [1, 2], nick: null },
    });
  });

  test("a missing key or null is an empty cell", () => {
    const cells = { user: { id: "7", name: null, nick: null }, stats: {}, flags: null };
    expect(ok(run(yaml, cells, "ndjson")).user_properties).toEqual({ nick: null });
  });

  test("a top-level key spelled with dots wins over the path", () => {
    const cells = { "user.id": "flat", user: { id: "nested" } };
    expect(ok(run(yaml, cells, "ndjson")).identity).toEqual({ external_id: "flat" });
  });

  test("for CSV, the column name is taken as is, dots included", () => {
    expect(ok(run(yaml, { "user.id": "9" }, "csv")).identity).toEqual({ external_id: "9" });
  });

  test("a string is parsed, a JSON number taken as is", () => {
    const cells = { user: { id: "1" }, stats: { points: "1,000" } };
    expect(ok(run(yaml, cells, "ndjson")).user_properties.points).toBe(1000);
  });

  test("an object where a String is expected is invalid", () => {
    const failure = failed(run(yaml, { user: { id: "1", name: { first: "K" } } }, "ndjson"));
    expect(failure).toMatchObject({ code: "INVALID_VALUE", field: "name" });
    expect(failure.message).toBe(
      'column "user.name": an object is not a String (expected text, a number or true/false)',
    );
  });

  test("a fractional JSON number is not a Long", () => {
    expect(failed(run(yaml, { user: { id: "1" }, stats: { points: 1.5 } }, "ndjson")).field).toBe(
      "points",
    );
  });
});
