import { describe, expect, test } from "vitest";
import { applyMapping } from "../../../src/mapping/apply.js";
import { Invalid } from "../../../src/mapping/convert/invalid.js";
import { compileExpression, type Expression } from "../../../src/mapping/expr/expression.js";
import { parseMapping } from "../../../src/mapping/load.js";
import { ExactNumber } from "../../../src/util/exact-number.js";

function compiled(text: string): Expression {
  const out = compileExpression(text);
  if (typeof out === "string") throw new Error(out);
  return out;
}

describe("expressions", () => {
  test("have the strings extension's replace besides the library's split, trim, lowerAscii…", () => {
    const row = { name: " Kim, Minsu " };
    expect(compiled("row.name.trim().replace(', ', ' ')").evaluate(row)).toBe("Kim Minsu");
    expect(compiled("'a-b-c'.replace('-', '+', 1)").evaluate(row)).toBe("a+b-c");
    expect(compiled("row.name.trim().split(', ')").evaluate(row)).toEqual(["Kim", "Minsu"]);
    expect(compiled("row.name.upperAscii().substring(1, 4)").evaluate(row)).toBe("KIM");
  });

  test("number() reads text as a Double cell does; sum() adds a list", () => {
    const rows = [{ p: "12,900" }, { p: "1e3" }, { p: "0.5" }];
    expect(compiled("number(row.p)").evaluate(rows[0] ?? {})).toBe(12_900);
    expect(compiled("sum(rows.map(r, number(r.p)))").evaluate(rows[0] ?? {}, rows)).toBe(13_900.5);
    expect(compiled("sum([1, 2.5, '3'])").evaluate({})).toBe(6.5);
  });

  test("ints come out as numbers, beyond 2^53 as their exact digits", () => {
    expect(compiled("int(row.t) / 1000").evaluate({ t: "1717900000123456" })).toBe(
      1_717_900_000_123,
    );
    expect(compiled("int(row.t)").evaluate({ t: "9007199254740993" })).toEqual(
      new ExactNumber("9007199254740993"),
    );
  });

  test("an NDJSON number beyond a double's digits keeps them: as a value, in string() and int()", () => {
    const row = { id: new ExactNumber("9007199254740993") };
    expect(compiled("row.id").evaluate(row)).toEqual(new ExactNumber("9007199254740993"));
    expect(compiled("string(row.id)").evaluate(row)).toBe("9007199254740993");
    expect(compiled("int(row.id) - 1").evaluate(row)).toEqual(new ExactNumber("9007199254740992"));
  });

  test("an NDJSON integer is a CEL int, other numbers doubles: row.n + 1 is n + 1", () => {
    const row = { n: 41, qty: 3, price: 9.9, big: new ExactNumber("9007199254740993") };
    expect(compiled("row.n + 1").evaluate(row)).toBe(42);
    expect(compiled("row.n / 2").evaluate(row)).toBe(20); // int / int, as in CEL
    expect(compiled("double(row.n) / 2.0").evaluate(row)).toBe(20.5);
    expect(compiled("row.n % 2 == 1 && row.n > 40").evaluate(row)).toBe(true);
    expect(compiled("[10, 20, 30, 40][row.qty]").evaluate(row)).toBe(40);
    // Within int64, a number beyond a double's digits is an int too, its digits exact.
    expect(compiled("row.big + 1").evaluate(row)).toEqual(new ExactNumber("9007199254740994"));
    // Nested records and lists of records: the same.
    const order = {
      lines: [
        { qty: 2, price: 500 },
        { qty: 1, price: 0.5 },
      ],
    };
    expect(compiled("row.lines.map(l, l.qty * l.price)").evaluate(order)).toEqual([1000, 0.5]);
    expect(compiled("sum(rows.map(r, r.n))").evaluate(row, [row, { n: 1 }])).toBe(42);
    // A key computed from the row, and the row as a whole, see every key converted.
    expect(compiled("row[row.k] + 1").evaluate({ k: "n", n: 1 })).toBe(2);
    expect(compiled("size(row) == 2 && row.n == 1").evaluate({ k: "n", n: 1 })).toBe(true);
  });

  test("an int and a double mix in + - * / (a double); elsewhere the refusal names the numbers read", () => {
    const row = { qty: 3, price: 9.5 };
    expect(compiled("row.qty * row.price").evaluate(row)).toBe(28.5);
    expect(compiled("row.price - row.qty + 1").evaluate(row)).toBe(7.5);
    expect(compiled("row.qty / 2.0").evaluate(row)).toBe(1.5);
    expect(compiled("row.price % row.qty").evaluate(row)).toEqual(
      new Invalid(
        'expression "row.price % row.qty" failed: no such overload: dyn<double> % dyn<int> (at character 1); row.price is a double (9.5), row.qty is an int (3): CEL does not mix int and double here, convert one with int() or double()',
        "EXPRESSION_FAILED",
      ),
    );
    expect(compiled("int(row.price) % row.qty").evaluate(row)).toBe(0);
    expect(
      compiled("row.id + 1").evaluate({ id: new ExactNumber("99999999999999999999") }),
    ).toEqual(
      new Invalid(
        'expression "row.id + 1" failed: no such overload: dyn<ExactNumber> + int (at character 1); row.id is an exact number (99999999999999999999): a number beyond int64 or a double\'s digits is kept as written, for string() (exact) or double() (rounded)',
        "EXPRESSION_FAILED",
      ),
    );
  });

  test("a row it cannot evaluate gives EXPRESSION_FAILED naming the expression, never a throw", () => {
    const out = compiled("number(row['금액'])").evaluate({ 금액: "많이" });
    expect(out).toEqual(
      new Invalid(
        'expression "number(row[\'금액\'])" failed: number(): "많이" is not a Double (expected a number such as -1.5, 1,234.5 or 1e3) (at character 1)',
        "EXPRESSION_FAILED",
      ),
    );
    expect(compiled("row.missing").evaluate({})).toBeInstanceOf(Invalid);
  });

  test("is refused at load with the reason: syntax, unknown names, types", () => {
    expect(compileExpression("row.a +")).toBe(
      "not an expression: Unexpected token: EOF (at character 8)",
    );
    expect(compileExpression("user.a")).toBe("Unknown variable: user (at character 1)");
    expect(compileExpression("1 + 'a'")).toBe("no such overload: int + string (at character 1)");
    expect(compileExpression("'yes'", "bool")).toBe("gives a string; where needs true or false");
    expect(compileExpression("row.a", "list")).not.toBeTypeOf("string");
    expect(compileExpression("1", "list")).toBe("gives a int; items.expr needs a list");
  });

  test("names the headers it reads literally, in macros over rows too", () => {
    const e = compiled("row['상품 가격'] + row.b + string(size(rows.filter(r, r['c'] == 'x')))");
    expect(e.columns).toEqual(["상품 가격", "b", "c"]);
  });
});

describe("expressions in a mapping", () => {
  test("every one is compiled at load, each problem with its YAML line", () => {
    const text = `where: "row.a >"
identity:
  external_id: { expr: "row.id.lowerAscii(" }
properties:
  total: { expr: "1 + 'a'", type: Double }
  ok: { expr: "row.b", type: Long }
  both: { column: c, expr: "row.c" }
`;
    expect(() => parseMapping(text, "m.yaml")).toThrow(
      expect.objectContaining({
        issues: [
          {
            path: "where",
            line: 1,
            message: "not an expression: Unexpected token: EOF (at character 8)",
          },
          {
            path: "identity.external_id.expr",
            line: 3,
            message: "not an expression: Unexpected token: EOF (at character 19)",
          },
          {
            path: "properties.total.expr",
            line: 5,
            message: "no such overload: int + string (at character 1)",
          },
          {
            path: "properties.both",
            line: 7,
            message:
              "column and expr are mutually exclusive: read a column, build from a template, compute an expr, or send a constant",
          },
        ],
      }),
    );
  });

  test("an expression's value takes the target type's rules, as a cell would", () => {
    const mapping = parseMapping(
      `identity: { external_id: { expr: "row.first + '-' + row.last" } }
properties:
  points: { expr: "int(row.p) * 2", type: Long }
  total: { expr: "number(row.a) + number(row.b)", type: Double }
  joined: { expr: "row.d.substring(0, 10)", type: Date }
  nothing: { expr: "null", type: String }
  emptied: { expr: "row.tags.split(',').filter(t, t != '')", type: Array of String }
`,
      "m.yaml",
    );
    const row = {
      ...{ first: "kim", last: "7", p: "21", a: "1,000", b: "0.5", d: "2024-06-09 10:00" },
      tags: ",",
    };
    const mapped = applyMapping(mapping, { kind: "row", line: 2, cells: row }, "csv");
    expect(mapped).toEqual({
      ok: true,
      update: {
        identity: { external_id: "kim-7" },
        // An empty list is sent as [] (it empties the list in DFINERY), never left out.
        user_properties: { points: 42, total: 1000.5, joined: "2024-06-09", emptied: [] },
      },
    });
  });

  test("an NDJSON record's integers are ints: Long and Double properties from int arithmetic", () => {
    const mapping = parseMapping(
      `source: { format: ndjson }
identity: { external_id: id }
properties:
  next_visit: { expr: "row.visits + 1", type: Long }
  line_total: { expr: "row.order.qty * row.order.price", type: Double }
  even: { expr: "row.visits % 2 == 0", type: Boolean }
`,
      "m.yaml",
    );
    const cells = { id: "u1", visits: 41, order: { qty: 3, price: 9.5 } };
    expect(applyMapping(mapping, { kind: "row", line: 1, cells }, "ndjson")).toEqual({
      ok: true,
      update: {
        identity: { external_id: "u1" },
        user_properties: { next_visit: 42, line_total: 28.5, even: false },
      },
    });
  });
});
