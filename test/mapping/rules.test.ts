import { describe, expect, test } from "vitest";
import { parseDocument } from "yaml";
import { parseMapping } from "../../src/mapping/load.js";
import { checkValuesKeyNodes } from "../../src/mapping/rules.js";
import { issuesOf, withProperties } from "./helpers.js";

const only = (yaml: string) => issuesOf(yaml).map((i) => `${i.path}: ${i.message}`);

describe("standard properties", () => {
  test("rejects df_birth typed Long", () => {
    expect(only(withProperties("  df_birth: { column: b, type: Long }\n"))).toEqual([
      "properties.df_birth.type: df_birth is a Date in DFINERY; it cannot be mapped as Long",
    ]);
  });

  test("rejects a consent flag typed String", () => {
    expect(only(withProperties("  df_push_optin: { column: p, type: String }\n"))).toEqual([
      "properties.df_push_optin.type: df_push_optin is a Boolean in DFINERY; it cannot be mapped as String",
    ]);
  });

  test("rejects df_name typed Long", () => {
    expect(only(withProperties("  df_name: { column: n, type: Long }\n"))).toHaveLength(1);
  });

  test("rejects an unknown df_ name, suggesting the standard one", () => {
    expect(only(withProperties("  df_sms_optin: s\n"))).toEqual([
      "properties.df_sms_optin: names starting with df_ are DFINERY's standard properties, and df_sms_optin is not one (did you mean `df_sms_ads_optin`?)",
    ]);
  });

  test("rejects a values table whose df_gender targets are not DFINERY's values", () => {
    expect(
      only(withProperties("  df_gender: { column: g, values: { 남: M, 여: Female } }\n")),
    ).toEqual([
      'properties.df_gender.values.남: "M" is not a df_gender value (expected one of Male, Female, NonBinary, Other; map other spellings with values:)',
    ]);
  });

  test("rejects a df_gender default or constant outside DFINERY's values", () => {
    expect(only(withProperties("  df_gender: { column: g, default: unknown }\n"))).toHaveLength(1);
    expect(only(withProperties("  df_gender: { value: female }\n"))).toHaveLength(1);
  });
});

describe("column and value", () => {
  test("are mutually exclusive", () => {
    expect(only(withProperties("  a: { column: a, value: x }\n"))).toEqual([
      "properties.a: column and value are mutually exclusive: read a column, build from a template, compute an expr, or send a constant",
    ]);
  });

  test("one of them is required", () => {
    expect(only(withProperties("  a: { type: Long }\n"))).toEqual([
      "properties.a: needs column (the column to read), template, expr (an expression) or value (a constant)",
    ]);
  });

  test("a constant must be written in its type's YAML form", () => {
    expect(only(withProperties('  a: { value: 3 }\n  b: { value: "3", type: Long }\n'))).toEqual([
      'properties.a.value: 3 is a YAML number; a String is written as text (quote numbers: "007")',
      'properties.b.value: "3" is text; a Long is written as an integer, without quotes',
    ]);
  });

  test("settings that do nothing with value are rejected", () => {
    expect(only(withProperties("  a: { value: x, transform: [trim], default: y }\n"))).toEqual([
      "properties.a.transform: transform has no effect with value",
      "properties.a.default: default has no effect with value",
    ]);
  });
});

describe("defaults and values", () => {
  test("validates a default at load time", () => {
    expect(only(withProperties("  a: { column: a, type: Boolean, default: maybe }\n"))).toEqual([
      'properties.a.default: "maybe" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)',
    ]);
  });

  test("rejects default with empty: null, which could never apply", () => {
    expect(only(withProperties("  a: { column: a, default: x, empty: null }\n"))).toEqual([
      "properties.a.empty: empty: null never applies: default is used for empty cells",
    ]);
  });

  test("rejects a values key that can never match after the transforms", () => {
    expect(
      only(
        withProperties("  a: { column: a, transform: [lowercase], values: { Y: yes, n: no } }\n"),
      ),
    ).toEqual([
      'properties.a.values.Y: "Y" can never match: cells are trimmed and transformed (lowercase) first; write "y"',
    ]);
  });

  test("rejects a values key with spaces for a typed property, whose cells are trimmed", () => {
    expect(
      only(withProperties('  a: { column: a, type: Boolean, values: { " Y": true } }\n')),
    ).toHaveLength(1);
  });

  test("rejects a values key with spaces for a String property too: looked-up cells are trimmed", () => {
    expect(only(withProperties('  df_gender: { column: g, values: { " 여": Female } }\n'))).toEqual(
      [
        'properties.df_gender.values. 여: " 여" can never match: cells are trimmed first; write "여"',
      ],
    );
  });

  test("rejects an empty values key", () => {
    expect(only(withProperties('  a: { column: a, values: { "": x } }\n'))).toEqual([
      "properties.a.values.: an empty cell never reaches values; use default for empty cells",
    ]);
  });

  test("rejects values on an array type", () => {
    expect(
      only(withProperties("  a: { column: a, type: Array of String, values: { x: y } }\n")),
    ).toEqual(["properties.a.values: values is not supported for Array types"]);
  });
});

describe("types and names", () => {
  test("split only applies to array types", () => {
    expect(only(withProperties('  a: { column: a, split: "|" }\n'))).toEqual([
      "properties.a.split: split applies to Array types, not String",
    ]);
  });

  test.each(["my name", "1st", "a-b", "점수"])("rejects the property name %j", (name) => {
    expect(only(withProperties(`  "${name}": x\n`))).toEqual([
      `properties.${name}: a property name has letters, digits and _ and does not start with a digit`,
    ]);
  });

  test("accepts letters, digits and underscores", () => {
    expect(() => parseMapping(withProperties("  _x: a\n  Points2: b\n"), "m.yaml")).not.toThrow();
  });

  test("allows at most 10 Array of String properties", () => {
    const lines = Array.from(
      { length: 11 },
      (_, i) => `  s${i}: { column: c${i}, type: Array of String }\n`,
    );
    expect(only(withProperties(lines.join("")))).toEqual([
      "properties.s10.type: more than 10 Array of String properties (DFINERY allows at most 10)",
    ]);
    expect(() => parseMapping(withProperties(lines.slice(0, 10).join("")), "m.yaml")).not.toThrow();
  });

  test("allows at most 5 Array of Long and 5 Array of Double properties", () => {
    const longs = Array.from(
      { length: 6 },
      (_, i) => `  l${i}: { column: c${i}, type: Array of Long }\n`,
    );
    const doubles = Array.from(
      { length: 6 },
      (_, i) => `  d${i}: { column: c${i}, type: Array of Double }\n`,
    );
    expect(only(withProperties([...longs, ...doubles].join("")))).toEqual([
      "properties.l5.type: more than 5 Array of Long properties (DFINERY allows at most 5)",
      "properties.d5.type: more than 5 Array of Double properties (DFINERY allows at most 5)",
    ]);
  });

  test("needs at least one property", () => {
    expect(only("identity:\n  external_id: id\nproperties: {}\n")).toEqual([
      "properties: map at least one property: a profile update without properties changes nothing",
    ]);
  });
});

describe("identity and source", () => {
  test("needs at least one identifier", () => {
    expect(only("identity: {}\nproperties:\n  a: a\n")).toEqual([
      "identity: map at least one of external_id, phone_no, email, kakao_user_id, line_user_id",
    ]);
  });

  test("an identity cannot be a constant", () => {
    expect(only("identity:\n  external_id: { value: x }\nproperties:\n  a: a\n")).toContain(
      "identity.external_id.value: unknown key `value`",
    );
  });

  test("validates the time zone, suggesting a close one", () => {
    expect(only(withProperties("  a: a\n", "source: { timezone: asia/seul }\n"))).toEqual([
      'source.timezone: "asia/seul" is not an IANA time zone such as Asia/Seoul or UTC (did you mean `Asia/Seoul`?)',
    ]);
  });

  test("validates the phone country", () => {
    expect(only(withProperties("  a: a\n", "source: { country: ZZ }\n"))).toEqual([
      'source.country: "ZZ" is not a country with phone numbering data',
    ]);
    expect(only(withProperties("  a: a\n", "source: { country: kr }\n"))).toEqual([
      "source.country: expected a two-letter country code such as KR",
    ]);
    const perRow =
      "source: { country: { column: 국가, values: { 한국: KR, 달: ZZ }, default: XX } }\n";
    expect(only(withProperties("  a: a\n", perRow))).toEqual([
      'source.country.default: "XX" is not a country with phone numbering data',
      'source.country.values.달: "ZZ" is not a country with phone numbering data',
    ]);
  });

  test("rejects a delimiter for ndjson", () => {
    expect(
      only(withProperties("  a: a\n", 'source: { format: ndjson, delimiter: ";" }\n')),
    ).toEqual(["source.delimiter: delimiter applies to csv and tsv, not ndjson"]);
  });
});

describe("values keys YAML reads as numbers", () => {
  const keyIssues = (values: string) =>
    checkValuesKeyNodes(
      parseDocument(`properties:\n  vip:\n    column: vip\n    values: ${values}\n`),
    );

  test("a key written 01 is reported, asking to quote it", () => {
    expect(keyIssues("{ 01: true, 1.50: false, 0x1F: true, True: false }")).toEqual([
      {
        path: ["properties", "vip", "values", "1"],
        message:
          'YAML reads the key 01 as the number 1, which a cell "01" never matches; quote it: "01"',
      },
      expect.objectContaining({ path: ["properties", "vip", "values", "1.5"] }),
      expect.objectContaining({ path: ["properties", "vip", "values", "31"] }),
      expect.objectContaining({ path: ["properties", "vip", "values", "true"] }),
    ]);
  });

  test("keys that read as their own text are fine, quoted or not", () => {
    expect(keyIssues('{ 1: true, 0: false, "01": true, true: true, Y: false }')).toEqual([]);
  });
});
