import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { checkColumns, findMissingColumns } from "../../src/mapping/columns.js";
import { parseMapping } from "../../src/mapping/load.js";

const mapping = parseMapping(
  `identity:
  external_id: 회원번호
  email: { column: Email, transform: [trim] }
properties:
  df_name: 이름
  points: { column: points, type: Long }
  total: { column: points, type: Long }
  plan: { value: gold }
`,
  "m.yaml",
);

describe("checkColumns", () => {
  test("passes when the header has every mapped column", () => {
    expect(() =>
      checkColumns(mapping, ["회원번호", "Email", "이름", "points", "extra"], "in.csv"),
    ).not.toThrow();
  });

  test("lists every missing column, with a suggestion when one is close", () => {
    const missing = findMissingColumns(mapping, ["회원번호", "email", " 이름 ", "pts"]);
    expect(missing).toEqual([
      { column: "Email", usedBy: ["identity.email"], suggestion: "email" },
      { column: "이름", usedBy: ["properties.df_name"], suggestion: " 이름 " },
      { column: "points", usedBy: ["properties.points", "properties.total"] },
    ]);
  });

  test("throws an InputError naming the file, the columns and their uses", () => {
    let error: unknown;
    try {
      checkColumns(mapping, ["회원번호", "email", "이름"], "members.csv");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("E_INPUT");
    expect((error as InputError).message).toBe(
      [
        "members.csv:1: the header lacks 2 columns the mapping reads:",
        '  "Email" (identity.email); did you mean "email"?',
        '  "points" (properties.points, properties.total)',
      ].join("\n"),
    );
  });

  test("constants read no column", () => {
    expect(findMissingColumns(mapping, ["회원번호", "Email", "이름", "points"])).toEqual([]);
  });
});

describe("checkColumns on an event mapping", () => {
  const events = parseMapping(
    `source: { json_columns: [meta] }
identity: { external_id: user_id }
event:
  name: { column: type }
  datetime: { column: created_at }
properties:
  df_order_id: order_id
items:
  group_by: order_id
  properties:
    df_item_id: sku
    df_price: { column: meta.price, type: Double }
`,
    "m.yaml",
  );

  test("checks the event's own fields, the group column and the item properties as columns", () => {
    const header = ["user_id", "event_type", "created", "order_id", "SKU", "meta"];
    expect(findMissingColumns(events, header)).toEqual([
      { column: "type", usedBy: ["event.name"] },
      { column: "created_at", usedBy: ["event.datetime"], suggestion: "created" },
      { column: "sku", usedBy: ["items.properties.df_item_id"], suggestion: "SKU" },
    ]);
    expect(findMissingColumns(events, [...header, "type", "created_at", "sku"])).toEqual([]);
  });
});
