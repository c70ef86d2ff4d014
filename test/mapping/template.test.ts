import { describe, expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { findMissingColumns } from "../../src/mapping/columns.js";
import { parseMapping } from "../../src/mapping/load.js";
import { parseTemplate } from "../../src/mapping/template.js";
import type { SourceFormat } from "../../src/source/types.js";
import { issuesOf } from "./helpers.js";

const MAPPING = `
identity:
  external_id: { template: "{shop}-{id}" }
properties:
  df_name: { template: "{Last Name} {First Name}" }
  address: { template: "{addr.city}, {addr.street}  ({zip})", empty: null }
`;

const map = (cells: Record<string, unknown>, format: SourceFormat = "csv") =>
  applyMapping(parseMapping(MAPPING, "m.yaml"), { kind: "row", line: 2, cells }, format);

describe("template", () => {
  test("builds one value from several columns, on identities and properties", () => {
    expect(
      map({
        shop: "S1",
        id: "42",
        "Last Name": "김",
        "First Name": " 민준 ",
        "addr.city": "Seoul",
        "addr.street": "Sejong-daero 110",
        zip: "04524",
      }),
    ).toEqual({
      ok: true,
      update: {
        identity: { external_id: "S1-42" },
        user_properties: { df_name: "김 민준", address: "Seoul, Sejong-daero 110 (04524)" },
      },
    });
  });

  test("an empty part is left out, spaces collapse; all parts empty is empty", () => {
    expect(map({ shop: "S1", id: "7", "Last Name": "", "First Name": "Ana", zip: "" })).toEqual({
      ok: true,
      update: {
        identity: { external_id: "S1-7" },
        user_properties: { df_name: "Ana", address: null },
      },
    });
    expect(map({ shop: " ", id: "", "Last Name": "Kim", "First Name": "" })).toEqual({
      ok: false,
      failure: {
        stage: "mapping",
        code: "NO_IDENTITY",
        message: 'no identity: template "{shop}-{id}" is empty',
        errors: [
          {
            stage: "mapping",
            code: "NO_IDENTITY",
            message: 'no identity: template "{shop}-{id}" is empty',
          },
        ],
      },
    });
  });

  test("on an identity field, one empty part makes the identifier empty, never a partial one", () => {
    // "S1-" or "-42" would name another user, or nobody: the row has no identity instead.
    for (const cells of [
      { shop: "S1", id: "", "Last Name": "Kim" },
      { shop: "", id: "42", "Last Name": "Kim" },
    ]) {
      const result = map(cells);
      expect(result.ok).toBe(false);
      expect(result.ok ? null : result.failure.code).toBe("NO_IDENTITY");
    }
  });

  test("on an identity field, a part holding the template's separator is refused as ambiguous", () => {
    // A-1 + 2 and A + 1-2 both give A-1-2: two users would become one.
    const refused = (shop: string, id: string) => {
      const result = map({ shop, id, "Last Name": "Kim" });
      return result.ok ? result : result.failure.errors;
    };
    expect(refused("A-1", "2")).toEqual([
      {
        stage: "mapping",
        code: "INVALID_IDENTITY",
        field: "external_id",
        column: "{shop}-{id}",
        value: "A-1-2",
        message:
          '"A-1" (column "shop") holds "-", which separates the parts of the template "{shop}-{id}": the identifier would be ambiguous (another split of it names another user)',
      },
    ]);
    expect(refused("A", "1-2")).toMatchObject([
      {
        code: "INVALID_IDENTITY",
        value: "A-1-2",
        message: expect.stringContaining('"1-2" (column "id") holds "-"'),
      },
    ]);
    // A separator only in a property's template, or around the parts, is no ambiguity.
    expect(
      map({ shop: "S1", id: "42", "Last Name": "Kim-Lee", "First Name": "Min Jun" }),
    ).toMatchObject({
      ok: true,
      update: {
        identity: { external_id: "S1-42" },
        user_properties: { df_name: "Kim-Lee Min Jun" },
      },
    });
  });

  test("reads NDJSON paths, numbers as written", () => {
    expect(
      map(
        {
          shop: "S1",
          id: 42,
          "Last Name": "Kim",
          addr: { city: "Busan", street: "Jungang-daero 2" },
          zip: 48939,
        },
        "ndjson",
      ),
    ).toEqual({
      ok: true,
      update: {
        identity: { external_id: "S1-42" },
        user_properties: { df_name: "Kim", address: "Busan, Jungang-daero 2 (48939)" },
      },
    });
  });

  test("its columns are checked against the header", () => {
    const mapping = parseMapping(MAPPING, "m.yaml");
    expect(findMissingColumns(mapping, ["shop", "id", "Last name", "First Name", "zip"])).toEqual([
      { column: "Last Name", usedBy: ["properties.df_name"], suggestion: "Last name" },
      { column: "addr.city", usedBy: ["properties.address"] },
      { column: "addr.street", usedBy: ["properties.address"] },
    ]);
  });

  test("{{ and }} are literal braces; a malformed template is refused", () => {
    expect(parseTemplate("{{{a}}}")).toEqual({ texts: ["{", "}"], columns: ["a"] });
    expect(parseTemplate("{a")).toBe(
      "a { at character 1 is never closed (write {{ for a literal {)",
    );
    expect(parseTemplate("a}")).toBe(
      "a } at character 2 closes nothing (write }} for a literal })",
    );
    expect(parseTemplate("{ }")).toBe("{ } does not name a column");
    expect(parseTemplate("name")).toBe("a template names at least one {column}");
  });

  test("the mapping check: String only, one of column/template/value, with lines", () => {
    expect(
      issuesOf(`identity:
  external_id: { column: id, template: "{a}{b}" }
  email: { transform: [trim] }
properties:
  n: { template: "{a}", type: Long }
  m: { template: "{a", column: a }
`).map((i) => `${i.line} ${i.path}: ${i.message}`),
    ).toEqual([
      "2 identity.external_id: column and template are mutually exclusive: read a column, build from a template or compute an expr",
      "3 identity.email: needs column (the column to read), template or expr (an expression)",
      "5 properties.n.template: template builds a String, not a Long",
      "6 properties.m: column and template are mutually exclusive: read a column, build from a template, compute an expr, or send a constant",
    ]);
  });
});

test("a part equal to one of the rule's empty_values is empty", () => {
  const mapping = parseMapping(
    `source: { empty_values: ["-", "N/A"] }
identity:
  external_id: id
properties:
  df_name: { template: "{last} {first}" }
`,
    "m.yaml",
  );
  const map = (last: string, first: string) =>
    applyMapping(mapping, { kind: "row", line: 2, cells: { id: "1", last, first } }, "csv");
  expect(map("-", "Ana")).toEqual({
    ok: true,
    update: { identity: { external_id: "1" }, user_properties: { df_name: "Ana" } },
  });
  expect(map(" N/A ", "-")).toEqual({
    ok: true,
    update: { identity: { external_id: "1" }, user_properties: {} },
  });
});
