import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadMapping, parseMapping } from "../../src/mapping/load.js";
import { tempDir } from "../cli/helpers.js";
import { issuesOf, withProperties } from "./helpers.js";

/** A mapping whose `values` table has `n` entries: one YAML map of n keys. */
function withValues(n: number): string {
  const lines = ["  tier:", "    column: tier", "    type: String", "    values:"];
  for (let i = 0; i < n; i++) lines.push(`      k${i}: v${i}`);
  return withProperties(`${lines.join("\n")}\n`);
}

describe("loading a hostile or huge mapping", () => {
  test("a YAML alias bomb is a mapping error, not a crash", () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "identity:",
      "  external_id: id",
      "properties: {}",
    ].join("\n");
    expect(issuesOf(bomb)).toEqual([
      {
        path: "",
        message:
          "its YAML aliases (*name) expand too much (more than 100 times): write the values out",
      },
    ]);
  });

  test("finds duplicate keys in nested maps, with their lines, and tells 1 from '1'", () => {
    const text = withProperties(
      "  a:\n    column: a\n    type: String\n    values: { x: 1, y: 2, x: 3 }\n  b: y\n  a: z\n",
    );
    expect(issuesOf(text)).toEqual([
      { path: "", line: 7, message: "Map keys must be unique" },
      { path: "", line: 9, message: "Map keys must be unique" },
    ]);
    expect(() =>
      parseMapping(
        withProperties("  n:\n    column: n\n    type: Long\n    values: { 1: 1, '1': 2 }\n"),
        "m.yaml",
      ),
    ).not.toThrow(/unique/);
  });

  test("loads in time linear in its size (8× the keys in one map: far less than 64× the time)", () => {
    // CPU time, not the wall clock: on a loaded machine a wait for a core would land in either.
    const time = (n: number) => {
      const text = withValues(n);
      const start = process.cpuUsage();
      parseMapping(text, "m.yaml");
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    time(2_000); // warm up
    const small = time(5_000);
    const large = time(40_000);
    // Linear: about 8× (less once warm); the library's own duplicate check made it ~40×.
    expect(large / small).toBeLessThan(16);
  });
});

describe("what a mapping is not", () => {
  test("a mapping file over 1 MB is refused before it is read, as a mapping error", async () => {
    const file = join(tempDir(), "mapping.yaml");
    writeFileSync(file, withValues(400_000)); // ~10 MB of one values table
    await expect(loadMapping(file)).rejects.toThrow(
      /mapping .*mapping\.yaml has 1 problem:\n {2}.*mapping\.yaml {2}the mapping file is \d+\.\d MB, over 1 MB/,
    );
  });

  test("a !!binary value (or any tag JSON has no value for) is one problem, with its line", () => {
    const text = withProperties(
      "  points: !!binary |\n    R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5OTk6enp56enmleECcgggoBADs=\n  joined: !!timestamp 2024-05-14\n",
    );
    expect(issuesOf(text)).toEqual([
      {
        path: "",
        line: 4,
        message: "the YAML tag !!binary is not taken in a mapping: write the value as plain text",
      },
      {
        path: "",
        line: 6,
        message:
          "the YAML tag !!timestamp is not taken in a mapping: write the value as plain text",
      },
    ]);
  });
});

describe("a key JavaScript reserves", () => {
  test("__proto__ is refused with its line, as a property or in a values table", () => {
    const asProperty = withProperties("  __proto__: { column: p, type: String }\n  b: b\n");
    expect(issuesOf(asProperty)).toEqual([
      {
        path: "",
        line: 4,
        message: "the key __proto__ cannot be used (JavaScript reserves it): rename it",
      },
    ]);
    const inValues = withProperties(
      "  tier:\n    column: t\n    type: String\n    values: { __proto__: gold }\n",
    );
    expect(issuesOf(inValues)).toMatchObject([{ line: 7, message: /__proto__ cannot be used/ }]);
  });
});
