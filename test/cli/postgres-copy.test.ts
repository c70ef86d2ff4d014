/**
 * A PostgreSQL `\copy (SELECT …) TO 'users.csv' WITH (FORMAT csv, HEADER)` export with `text[]`,
 * `int[]` and `jsonb` columns, written here as PostgreSQL writes it: NULL as an empty unquoted
 * field, arrays as array literals (elements quoted when they hold a comma, a space, a quote, a
 * backslash or a brace, or are empty or NULL), jsonb in its own text form (`{"sms": false,
 * "push_consent": true}`), each field quoted for CSV when it needs it. The run goes to the
 * emulator; the test asserts the exact payloads it received and the exact dead letters.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExactNumber } from "../../src/util/exact-number.js";
import { emulatorPerTest, importFile, readJson, readNdjson, tempDir } from "./helpers.js";

const emulator = emulatorPerTest();

type Element = string | null;

/** array_out: an element is quoted when empty, NULL-like, or holding a special character. */
function pgArray(elements: readonly Element[]): string {
  const out = elements.map((e) => {
    if (e === null) return "NULL";
    if (e === "" || /^null$/i.test(e) || /[{},"\\\s]/.test(e)) {
      return `"${e.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    }
    return e;
  });
  return `{${out.join(",")}}`;
}

/** COPY's CSV form: NULL unquoted and empty; a field with the delimiter, a quote or a line break, or empty text, quoted. */
function csvField(value: string | null): string {
  if (value === null) return "";
  if (value === "" || /[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

interface User {
  readonly id: string;
  readonly email: string | null;
  readonly tags: readonly Element[] | null; // text[]
  readonly scores: readonly Element[] | null; // int[]
  readonly prefs: string | null; // jsonb, as jsonb_out writes it
  readonly settings: string | null; // text holding JSON, as an app wrote it
}

const USERS: readonly User[] = [
  {
    id: "u1",
    email: "kim@example.com",
    tags: ["Seoul, KR", "new user"],
    scores: ["1", "2"],
    prefs: '{"sms": false, "points": 9007199254740993, "push_consent": true}',
    settings: '{"theme":"dark"}',
  },
  // An emptied array is {}: it empties the list in DFINERY.
  {
    id: "u2",
    email: "lee@example.com",
    tags: [],
    scores: null,
    prefs: '{"push_consent": false}',
    settings: null,
  },
  { id: "u3", email: null, tags: null, scores: [], prefs: null, settings: "" },
  // NULL and empty elements are no elements; quotes and backslashes are escaped in the literal.
  {
    id: "u4",
    email: "park@example.com",
    tags: [null, "vip", "", 'say "hi"', "back\\slash", "NULL"],
    scores: ["7", null],
    prefs: '{"push_consent": true}',
    settings: '{"theme":"light","extra":[1,2]}',
  },
  // A consent that is not a Boolean, and a settings cell that is not JSON: dead letters.
  {
    id: "u5",
    email: "choi@example.com",
    tags: ["a"],
    scores: null,
    prefs: '{"push_consent": "maybe"}',
    settings: null,
  },
  {
    id: "u6",
    email: "jung@example.com",
    tags: ["b"],
    scores: null,
    prefs: null,
    settings: '{"theme": dark}',
  },
];

function copyCsv(users: readonly User[]): string {
  const lines = ["id,email,tags,scores,prefs,settings"];
  for (const u of users) {
    lines.push(
      [
        u.id,
        u.email,
        u.tags === null ? null : pgArray(u.tags),
        u.scores === null ? null : pgArray(u.scores),
        u.prefs,
        u.settings,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

const MAPPING = `source:
  dialect: postgres
  json_columns: [prefs, settings]
identity:
  external_id: id
  email: email
properties:
  tags: { column: tags, type: Array of String }
  scores: { column: scores, type: Array of Long }
  df_push_optin: { column: prefs.push_consent, type: Boolean }
  df_sms_ads_optin: { column: prefs.sms, type: Boolean }
  points: { column: prefs.points, type: Long }
  theme: settings.theme
`;

describe("a PostgreSQL \\copy CSV export", () => {
  it("reads arrays as array literals and jsonb as JSON with paths: exact payloads and dead letters", async () => {
    const e = await emulator();
    const dir = tempDir();
    const text = copyCsv(USERS);
    // The file as PostgreSQL writes it (spot checks of the generator).
    expect(text.split("\n")[1]).toBe(
      'u1,kim@example.com,"{""Seoul, KR"",""new user""}","{1,2}","{""sms"": false, ""points"": 9007199254740993, ""push_consent"": true}","{""theme"":""dark""}"',
    );
    expect(text.split("\n")[2]).toBe('u2,lee@example.com,{},,"{""push_consent"": false}",');
    const result = await importFile(dir, e.url, "users.csv", text, MAPPING);
    expect(result.code).toBe(1);
    const sent = Object.fromEntries(
      e.store.list().map((r) => [r.identity.external_id, r.user_properties]),
    );
    expect(sent).toEqual({
      u1: {
        tags: ["Seoul, KR", "new user"],
        scores: [1, 2],
        df_push_optin: true,
        df_sms_ads_optin: false,
        points: new ExactNumber("9007199254740993"),
        theme: "dark",
      },
      u2: { tags: [], df_push_optin: false },
      u3: { scores: [] },
      u4: {
        tags: ["vip", 'say "hi"', "back\\slash", "NULL"],
        scores: [7],
        df_push_optin: true,
        theme: "light",
      },
    });
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code, d.error.field, d.error.message])).toEqual([
      [
        6,
        "INVALID_VALUE",
        "df_push_optin",
        'column "prefs.push_consent": "maybe" is not a Boolean (expected true/false, yes/no, y/n, 1/0, 예/아니오)',
      ],
      [
        7,
        "INVALID_VALUE",
        "theme",
        'column "settings.theme": column "settings" (source.json_columns) holds "{\\"theme\\": dark}", which is not JSON',
      ],
    ]);
    expect(dead[1].errors[0].value).toBe('{"theme": dark}');
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 6,
      accepted: 4,
      deadLettered: 2,
    });
  });

  it("a path into a JSON column that none of the first records has stops the run before any request", async () => {
    const e = await emulator();
    const dir = tempDir();
    const typo = MAPPING.replace("prefs.push_consent", "prefs.push_consnt");
    const result = await importFile(dir, e.url, "users.csv", copyCsv(USERS), typo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '"prefs.push_consnt" (properties.df_push_optin); did you mean "prefs.push_consent"?',
    );
    expect(e.store.count()).toBe(0);
  });
});
