import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseMapping } from "../../src/mapping/load.js";
import { checkPaths, PathPresence } from "../../src/mapping/paths.js";

const mapping = parseMapping(
  `source:
  format: ndjson
identity:
  external_id: user.id
properties:
  city: addresses.0.city
  zip: "addresses[0].zip"
  tier: { column: membership.tier, default: basic }
`,
  "m.yaml",
);

const record = (i: number) => ({
  user: { id: `u${i}` },
  addresses: [{ city: "Seoul", ...(i % 2 === 0 ? { zip: "04524" } : {}) }],
  membership: { tier: null },
});

describe("checkPaths", () => {
  test("passes when every path is in at least one record (null counts as present)", () => {
    expect(() => checkPaths(mapping, [record(1), record(2)], "in.ndjson")).not.toThrow();
  });

  test("refuses a path present in no record, with a did-you-mean from the paths that occur", () => {
    const typo = parseMapping(
      "identity:\n  external_id: user.id\nproperties:\n  city: addresses.0.cty\n  zip: addresses.zip\n",
      "m.yaml",
    );
    let error: unknown;
    try {
      checkPaths(typo, [record(1), record(2)], "in.ndjson");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      [
        "in.ndjson: the mapping reads 2 paths that none of the first 2 records has:",
        '  "addresses.0.cty" (properties.city); did you mean "addresses.0.city"?',
        '  "addresses.zip" (properties.zip); did you mean "addresses.0.zip"?',
      ].join("\n"),
    );
  });

  test("an empty file is not refused", () => {
    expect(() => checkPaths(mapping, [], "in.ndjson")).not.toThrow();
  });
});

describe("PathPresence", () => {
  test("counts, per mapped path, the records that hold it", () => {
    const presence = new PathPresence(mapping);
    for (let i = 1; i <= 5; i++) presence.count(record(i));
    presence.count({ user: { id: "x" } });
    expect(presence.records).toBe(6);
    expect(presence.counts()).toEqual({
      "user.id": 6,
      "addresses.0.city": 5,
      "addresses[0].zip": 2,
      "membership.tier": 5,
    });
  });
});

describe("checkPaths with key/value lookups", () => {
  const ga4 = parseMapping(
    `source: { format: ndjson }
identity: { external_id: user_id }
properties:
  page: event_params[key=page_location].value.string_value
  title: event_params[key=page_titel].value.string_value
`,
    "m.yaml",
  );
  const record = {
    user_id: "u1",
    event_params: [
      { key: "page_location", value: { string_value: "https://a.example/" } },
      { key: "page_title", value: { string_value: "Home" } },
    ],
  };

  test("knows a lookup: one that finds an element passes, one that finds none in any record is refused", () => {
    expect(() => checkPaths(ga4, [record], "events.ndjson")).toThrow(
      /"event_params\[key=page_titel\]\.value\.string_value" \(properties\.title\)/,
    );
    const present = new PathPresence(ga4);
    present.count(record);
    expect(present.counts()).toEqual({
      user_id: 1,
      "event_params[key=page_location].value.string_value": 1,
      "event_params[key=page_titel].value.string_value": 0,
    });
  });
});
