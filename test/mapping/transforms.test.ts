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
        'expected one of trim, lowercase, uppercase, phone, { remove: "…" }, { replace: [from, to] }, { strip_prefix: "…" } or { uuid: "…" }, got a mapping',
      ],
      [
        "properties.b.transform.0",
        5,
        'expected one of trim, lowercase, uppercase, phone, { remove: "…" }, { replace: [from, to] }, { strip_prefix: "…" } or { uuid: "…" }, got a mapping',
      ],
      [
        "properties.c.values.A-1",
        6,
        '"A-1" can never match: cells are trimmed and transformed (remove) first; write "A1"',
      ],
    ]);
  });
});

describe("uuid", () => {
  const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const ids = (kind: string, cells: Record<string, unknown>) => {
    const mapping = parseMapping(
      `identity: { external_id: id }\nproperties:\n  order: { column: order, transform: [{ uuid: ${kind} }] }\n`,
      "m.yaml",
    );
    const result = applyMapping(mapping, { kind: "row", line: 2, cells }, "csv");
    return result.ok ? result.update.user_properties.order : result;
  };

  test("names one UUID per text and kind: the same order id gives the same id, another kind another", () => {
    const first = ids("df_purchase", { id: "u1", order: "2024060900001" });
    expect(first).toMatch(UUID_V5);
    expect(ids("df_purchase", { id: "u2", order: "2024060900001" })).toBe(first);
    expect(ids("df_purchase", { id: "u1", order: "2024060900002" })).not.toBe(first);
    expect(ids("df_refund", { id: "u1", order: "2024060900001" })).not.toBe(first);
  });
});
