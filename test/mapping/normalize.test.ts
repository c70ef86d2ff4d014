import { describe, expect, test } from "vitest";
import { EMPTY } from "../../src/mapping/convert/invalid.js";
import { normalizeMapping } from "../../src/mapping/normalize.js";

describe("normalizeMapping", () => {
  test("compiles a reader and a converter per rule, once", () => {
    const { mapping, issues } = normalizeMapping({
      identity: { email: { column: "e", transform: ["lowercase"] } },
      properties: { n: { column: "stats.n", type: "Long" } },
    });
    expect(issues).toEqual([]);
    const [email] = mapping.identity;
    const [n] = mapping.properties;
    expect(email?.convert(email.readCsv({ e: " A@B.C " }))).toBe("a@b.c");
    if (n?.kind !== "column") throw new Error("expected a column rule");
    expect(n.convert(n.readJson({ stats: { n: "1,000" } }))).toBe(1000);
    expect(n.convert(n.readJson({}))).toBe(EMPTY);
  });

  test("an invalid time zone is reported once and does not stop the other checks", () => {
    const { issues } = normalizeMapping({
      source: { timezone: "Mars/Olympus" },
      identity: { external_id: "id" },
      properties: { t: { column: "t", type: "Datetime", default: "2024-02-30 00:00" } },
    });
    expect(issues.map((i) => i.path.join("."))).toEqual([
      "source.timezone",
      "properties.t.default",
    ]);
  });
});
