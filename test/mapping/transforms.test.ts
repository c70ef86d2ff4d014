import { describe, expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { parseMapping } from "../../src/mapping/load.js";
import { issuesOf } from "./helpers.js";

const MAPPING = `
identity:
  external_id: { column: id, transform: [{ replace: ["M-", ""] }] }
  phone_no: { column: mobile, transform: [{ strip_prefix: "'" }, phone] }
properties:
  total: { column: total, type: Long, transform: [{ remove: "'₩ " }] }
  company: { column: company, transform: [{ replace: ["(주)", ""] }, trim] }
  vip: { column: vip, type: Boolean, transform: [{ strip_prefix: "'" }, lowercase], values: { "yes": true, "no": false } }
`;

const map = (cells: Record<string, unknown>) =>
  applyMapping(parseMapping(MAPPING, "m.yaml"), { kind: "row", line: 2, cells }, "csv");

describe("remove, replace and strip_prefix", () => {
  test("run in order, before the conversion, on identities and properties alike", () => {
    expect(
      map({
        id: "M-0042",
        mobile: "'+821055501234",
        total: "₩1,405,300",
        company: "(주)한빛 ",
        vip: "'YES",
      }),
    ).toEqual({
      ok: true,
      update: {
        identity: { external_id: "0042", phone_no: "821055501234" },
        user_properties: { total: 1405300, company: "한빛", vip: true },
      },
    });
  });

  test("a cell the transforms leave empty is empty", () => {
    expect(map({ id: "M-1", mobile: "", total: "₩ ", company: "(주)", vip: "'" })).toEqual({
      ok: true,
      update: { identity: { external_id: "1" }, user_properties: {} },
    });
  });

  test("the mapping check rejects malformed ones and values keys they would change", () => {
    expect(
      issuesOf(`identity:
  external_id: { column: id, transform: [{ remove: "" }] }
properties:
  a: { column: a, transform: [{ replace: ["x"] }] }
  b: { column: b, transform: [{ strip: "'" }] }
  c: { column: c, transform: [{ remove: "-" }], values: { "A-1": x } }
`).map((i) => [i.path, i.line, i.message]),
    ).toEqual([
      ["identity.external_id.transform.0.remove", 2, "must not be empty"],
      [
        "properties.a.transform.0",
        4,
        'expected one of trim, lowercase, uppercase, phone, { remove: "…" }, { replace: [from, to] } or { strip_prefix: "…" }, got a mapping',
      ],
      [
        "properties.b.transform.0",
        5,
        'expected one of trim, lowercase, uppercase, phone, { remove: "…" }, { replace: [from, to] } or { strip_prefix: "…" }, got a mapping',
      ],
      [
        "properties.c.values.A-1",
        6,
        '"A-1" can never match: cells are trimmed and transformed (remove) first; write "A1"',
      ],
    ]);
  });
});
