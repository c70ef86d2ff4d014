import { describe, expect, test } from "vitest";
import { applyMapping } from "../../src/mapping/apply.js";
import { findMissingColumns } from "../../src/mapping/columns.js";
import { parseMapping } from "../../src/mapping/load.js";
import { ExactNumber } from "../../src/util/exact-number.js";
import { issuesOf } from "./helpers.js";

const MAPPING = parseMapping(
  `source: { json_columns: [prefs] }
identity: { external_id: id }
properties:
  df_push_optin: { column: prefs.push_consent, type: Boolean }
  channels: { column: "prefs.channels", type: Array of String }
  first_channel: "prefs.channels[0]"
  big: { column: prefs.big, type: Long }
  raw_prefs: { column: prefs.missing, empty: null }
`,
  "m.yaml",
);

const map = (prefs: string) =>
  applyMapping(MAPPING, { kind: "row", line: 2, cells: { id: "u1", prefs } }, "csv");

describe("source.json_columns", () => {
  test("a CSV cell holding JSON is read as NDJSON is: paths into it, numbers exact", () => {
    expect(
      map('{"push_consent": true, "channels": ["sms", "", "kakao"], "big": 12345678901234567}'),
    ).toEqual({
      ok: true,
      update: {
        identity: { external_id: "u1" },
        user_properties: {
          df_push_optin: true,
          channels: ["sms", "kakao"],
          first_channel: "sms",
          big: new ExactNumber("12345678901234567"),
          raw_prefs: null,
        },
      },
    });
  });

  test("an empty cell is an absent value; a cell that is not JSON fails the row, naming it", () => {
    expect(map("")).toMatchObject({ ok: true, update: { user_properties: { raw_prefs: null } } });
    const result = map("{push_consent: true}");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe("INVALID_VALUE");
    expect(result.failure.errors?.[0]).toEqual({
      stage: "mapping",
      code: "INVALID_VALUE",
      field: "df_push_optin",
      column: "prefs.push_consent",
      value: "{push_consent: true}",
      message:
        'column "prefs" (source.json_columns) holds "{push_consent: true}", which is not JSON',
    });
  });

  test("paths into a JSON column are checked against the header as that column", () => {
    expect(findMissingColumns(MAPPING, ["id", "prefs"])).toEqual([]);
    expect(findMissingColumns(MAPPING, ["id", "pref"]).map((m) => m.column)).toEqual(["prefs"]);
  });

  test("applies to CSV and TSV, not NDJSON", () => {
    expect(
      issuesOf(
        "source: { format: ndjson, json_columns: [prefs] }\nidentity: { external_id: id }\nproperties: { a: a }\n",
      ).map((i) => i.message),
    ).toEqual(["json_columns applies to csv and tsv, not ndjson"]);
  });
});
