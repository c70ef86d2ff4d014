import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { loadMapping, parseMapping } from "../../src/mapping/load.js";
import { issuesOf, withProperties } from "./helpers.js";

describe("parseMapping", () => {
  test("expands shorthands and fills defaults", () => {
    const mapping = parseMapping(
      withProperties("  df_name: 이름\n  tags: { column: t, type: Array of String }\n"),
      "m.yaml",
    );
    expect(mapping.source).toEqual({
      timezone: "UTC",
      country: "KR",
      empty: "omit",
      emptyValues: [],
      header: true,
    });
    expect(mapping.identity).toMatchObject([{ name: "external_id", column: "id", transforms: [] }]);
    expect(mapping.properties).toMatchObject([
      {
        kind: "column",
        name: "df_name",
        type: "String",
        column: "이름",
        transforms: [],
        empty: "omit",
      },
      { kind: "column", name: "tags", type: "Array of String", split: "," },
    ]);
  });

  test("standard properties get their DFINERY type when none is written", () => {
    const mapping = parseMapping(
      withProperties("  df_birth: b\n  df_sms_ads_optin: s\n  df_gender: g\n"),
      "m.yaml",
    );
    expect(mapping.properties.map((p) => [p.name, p.type])).toEqual([
      ["df_birth", "Date"],
      ["df_sms_ads_optin", "Boolean"],
      ["df_gender", "String"],
    ]);
  });

  test("reads empty: null (YAML null) in source and per property", () => {
    const mapping = parseMapping(
      withProperties(
        "  a: { column: a, empty: null }\n  b: { column: b, empty: omit }\n  c: c\n",
        "source: { empty: null }\n",
      ),
      "m.yaml",
    );
    expect(mapping.source.empty).toBe("null");
    expect(mapping.properties.map((p) => (p.kind === "column" ? p.empty : ""))).toEqual([
      "null",
      "omit",
      "null",
    ]);
  });

  test("keeps source settings for the reader", () => {
    const mapping = parseMapping(
      withProperties(
        "  a: a\n",
        'source:\n  format: tsv\n  encoding: cp949\n  delimiter: ";"\n  timezone: Asia/Seoul\n  country: US\n',
      ),
      "m.yaml",
    );
    expect(mapping.source).toEqual({
      format: "tsv",
      encoding: "cp949",
      delimiter: ";",
      timezone: "Asia/Seoul",
      country: "US",
      empty: "omit",
      emptyValues: [],
      header: true,
    });
  });

  test("converts constants, defaults and values targets once, at load", () => {
    const mapping = parseMapping(
      withProperties(
        '  plan: { value: gold }\n  n: { value: 3, type: Long }\n  ok: { column: ok, type: Boolean, values: { 동의: true, 거부: "n" }, default: false }\n',
        "",
      ),
      "m.yaml",
    );
    expect(mapping.properties).toMatchObject([
      { kind: "constant", name: "plan", type: "String", value: "gold" },
      { kind: "constant", name: "n", type: "Long", value: 3 },
      {
        kind: "column",
        name: "ok",
        default: false,
        values: new Map([
          ["동의", true],
          ["거부", false],
        ]),
      },
    ]);
  });

  test("reports a YAML syntax error with its line", () => {
    const issues = issuesOf("identity:\n  external_id: id\nproperties:\n  a: [1,\n  b: {x: 1\n");
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(4);
  });

  test("rejects a duplicate key with its line", () => {
    const issues = issuesOf(withProperties("  a: x\n  a: y\n"));
    expect(issues).toEqual([{ path: "", line: 5, message: "Map keys must be unique" }]);
  });

  test("rejects an empty file", () => {
    expect(issuesOf("# nothing\n")).toEqual([
      { path: "", message: "the mapping is empty: it needs identity: and properties:" },
    ]);
  });

  test("rejects a typo like propertes, suggesting the key", () => {
    const issues = issuesOf("identity:\n  external_id: id\npropertes:\n  a: x\n");
    expect(issues).toEqual([
      {
        path: "propertes",
        line: 3,
        message: "unknown key `propertes` (did you mean `properties`?)",
      },
    ]);
  });

  test("rejects unknown keys inside rules, suggesting the key", () => {
    expect(issuesOf(withProperties("  a: { colum: x }\n"))).toContainEqual({
      path: "properties.a.colum",
      line: 4,
      message: "unknown key `colum` (did you mean `column`?)",
    });
    expect(issuesOf("identity:\n  externalid: id\nproperties:\n  a: x\n")).toContainEqual({
      path: "identity.externalid",
      line: 2,
      message: "unknown key `externalid` (did you mean `external_id`?)",
    });
  });

  test("suggests the type for a misspelt one", () => {
    expect(issuesOf(withProperties("  points: { column: p, type: long }\n"))).toEqual([
      {
        path: "properties.points.type",
        line: 4,
        message:
          '"long" is not one of String, Long, Double, Boolean, Datetime, Date, Array of String, Array of Long, Array of Double (did you mean Long?)',
      },
    ]);
  });

  test("reports every mapping error at once with its line", () => {
    const yaml = [
      "source:", // 1
      "  timezone: Asia/Seul", // 2
      "  country: XX", // 3
      "identity:", // 4
      "  email: { column: e, transfrom: [trim] }", // 5
      "properties:", // 6
      "  df_birth: { column: b, type: Long }", // 7
      "  points:", // 8
      "    column: p", // 9
      "    type: Long", // 10
      "    default: lots", // 11
      "  bad name: x", // 12
      "  c: { column: c, value: 2 }", // 13
      "  d: [1, 2]", // 14
      "",
    ].join("\n");
    const issues = issuesOf(yaml);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [2, "source.timezone"],
      [3, "source.country"],
      [5, "identity.email.transfrom"],
      [7, "properties.df_birth.type"],
      [11, "properties.points.default"],
      [12, "properties.bad name"],
      [13, "properties.c"],
      [14, "properties.d"],
    ]);
    expect(issues.find((i) => i.path === "properties.points.default")?.message).toBe(
      '"lots" is not a Long (expected an integer such as 42, -5 or 1,555,144)',
    );
  });

  test("the error message lists every problem with file and line", () => {
    try {
      parseMapping(
        withProperties("  a: { column: a, type: Lng }\n  df_birth: { column: b, type: Long }\n"),
        "members.yaml",
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain("mapping members.yaml has 2 problems:");
      expect(message).toContain("members.yaml:4  properties.a.type:");
      expect(message).toContain(
        "members.yaml:5  properties.df_birth.type: df_birth is a Date in DFINERY",
      );
    }
  });

  test("explains a value of the wrong shape", () => {
    expect(issuesOf(withProperties("  a: 5\n"))).toEqual([
      {
        path: "properties.a",
        line: 4,
        message: "expected a column name, or { column: …, type: … } / { value: … }, got a number 5",
      },
    ]);
    expect(issuesOf("identity: id\nproperties:\n  a: x\n")).toEqual([
      { path: "identity", line: 1, message: 'expected object, got text "id"' },
    ]);
  });

  test("requires identity; properties left out are none, which a profile mapping refuses", () => {
    expect(issuesOf("source: { timezone: UTC }\n")).toEqual([
      { path: "identity", line: 1, message: "is required" },
      {
        path: "properties",
        line: 1,
        message: "map at least one property: a profile update without properties changes nothing",
      },
    ]);
  });
});

describe("loadMapping", () => {
  test("loads a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mapping-"));
    const file = join(dir, "m.yaml");
    await writeFile(file, withProperties("  a: a\n"));
    const mapping = await loadMapping(file);
    expect(mapping.properties).toHaveLength(1);
  });

  test("a missing file is a config error naming it", async () => {
    await expect(loadMapping("/nonexistent/m.yaml")).rejects.toMatchObject({
      code: "E_CONFIG",
      issues: [{ path: "", message: "cannot read the mapping file (ENOENT)" }],
    });
  });
});

describe("values keys YAML would change", () => {
  test("asks to quote a values key written as a number, such as 01", () => {
    const text =
      "identity:\n  external_id: id\nproperties:\n  df_sms_ads_optin: { column: sms, values: { 01: true, 02: false } }\n";
    expect(() => parseMapping(text, "m.yaml")).toThrow(/quote/);
  });
});
