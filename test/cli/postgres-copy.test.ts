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
import { flags, importEvents } from "./event-fixtures.js";
import { emulatorPerTest, importFile, readJson, readNdjson, tempDir, write } from "./helpers.js";

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

/** An orders table with two jsonb columns: the buyer, and the order's lines. */
interface Order {
  readonly id: string;
  readonly member: string;
  readonly at: string; // timestamptz as COPY writes it, in the session's zone (+09)
  readonly buyer: Record<string, string>;
  readonly lines: readonly Record<string, unknown>[] | null;
}

const ORDERS: readonly Order[] = [
  {
    id: "o1",
    member: "100",
    at: "2024-05-14 15:00:00+09",
    buyer: { store: "gangnam", country: "한국", phone: "010-1234-5678" },
    lines: [
      { sku: "S1", price: 12000, qty: 2 },
      { sku: "S2", price: 500.5, qty: 1 },
    ],
  },
  // A US number, read in the buyer's own country (a column inside the jsonb), not as Korean.
  {
    id: "o2",
    member: "7",
    at: "2024-05-14 16:30:00+09",
    buyer: { store: "nyc", country: "미국", phone: "617.253.1042" },
    lines: [{ sku: "S3", price: 30, qty: 1 }],
  },
  // The store holds the template's separator: seoul-1 + 2 and seoul + 1-2 would be one user.
  {
    id: "o3",
    member: "2",
    at: "2024-05-14 17:00:00+09",
    buyer: { store: "seoul-1", country: "한국", phone: "010-9876-5432" },
    lines: [{ sku: "S4", price: 10, qty: 1 }],
  },
  // An order without lines (NULL), and a Korean number where the buyer says 미국: refused.
  {
    id: "o4",
    member: "8",
    at: "2024-05-14 18:00:00+09",
    buyer: { store: "nyc", country: "미국", phone: "010-1111-2222" },
    lines: null,
  },
  {
    id: "o5",
    member: "9",
    at: "2024-05-14 19:00:00+09",
    buyer: { store: "busan", country: "한국", phone: "051-123-4567" },
    lines: [],
  },
];

/** jsonb_out's text: ", " between members and elements, ": " after a key. */
function jsonb(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonb).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${jsonb(v)}`);
    return `{${members.join(", ")}}`;
  }
  return JSON.stringify(value);
}

function ordersCopyCsv(orders: readonly Order[]): string {
  const lines = ["order_id,member_no,created_at,buyer,lines"];
  for (const o of orders) {
    lines.push(
      [o.id, o.member, o.at, jsonb(o.buyer), o.lines === null ? null : jsonb(o.lines)]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

const ORDERS_MAPPING = `source:
  dialect: postgres
  json_columns: [buyer, lines]
  country: { column: buyer.country, values: { 한국: KR, 미국: US } }
identity:
  external_id: { template: "{buyer.store}-{member_no}" }
  phone_no: { column: buyer.phone, transform: [phone] }
event:
  name: { value: df_purchase }
  datetime: { column: created_at, format: "yyyy-MM-dd HH:mm:ssZZ" }
properties:
  df_order_id: order_id
items:
  from: lines
  properties:
    df_item_id: sku
    df_price: { column: price, type: Double }
    df_quantity: { column: qty, type: Long }
`;

describe("a PostgreSQL \\copy CSV of orders with jsonb columns, as events", () => {
  it("reads items from a jsonb list, identity template parts and the phone's country inside jsonb", async () => {
    const e = await emulator();
    const dir = tempDir();
    const text = ordersCopyCsv(ORDERS);
    expect(text.split("\n")[2]).toBe(
      'o2,7,2024-05-14 16:30:00+09,"{""store"": ""nyc"", ""country"": ""미국"", ""phone"": ""617.253.1042""}","[{""sku"": ""S3"", ""price"": 30, ""qty"": 1}]"',
    );
    const input = write(dir, "orders.csv", text);
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(1);
    const sent = e.store.events().map((s) => ({
      identity: s.identity,
      order: s.event.event_properties.df_order_id,
      datetime: s.event.event_datetime,
      items: s.event.event_items,
    }));
    expect(sent).toEqual([
      {
        identity: { external_id: "gangnam-100", phone_no: "821012345678" },
        order: "o1",
        datetime: "2024-05-14T06:00:00.000Z",
        items: [
          { df_item_id: "S1", df_price: 12000, df_quantity: 2 },
          { df_item_id: "S2", df_price: 500.5, df_quantity: 1 },
        ],
      },
      {
        identity: { external_id: "nyc-7", phone_no: "16172531042" },
        order: "o2",
        datetime: "2024-05-14T07:30:00.000Z",
        items: [{ df_item_id: "S3", df_price: 30, df_quantity: 1 }],
      },
      {
        identity: { external_id: "busan-9", phone_no: "82511234567" },
        order: "o5",
        datetime: "2024-05-14T10:00:00.000Z",
        items: undefined,
      },
    ]);
    const dead = readNdjson(join(dir, "dl.ndjson")).sort((a, b) => a.line - b.line);
    expect(dead.map((d) => [d.line, d.error.code, d.error.field, d.error.message])).toEqual([
      [
        4,
        "INVALID_IDENTITY",
        "external_id",
        'template "{buyer.store}-{member_no}": "seoul-1" (column "buyer.store") holds "-", which separates the parts of the template "{buyer.store}-{member_no}": the identifier would be ambiguous (another split of it names another user)',
      ],
      [
        5,
        "INVALID_IDENTITY",
        "phone_no",
        'column "buyer.phone": "010-1111-2222" is not a valid phone number of US, the country assumed (a number of another country needs its +country code)',
      ],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 3,
      deadLettered: 2,
    });
  });

  it("refuses items.from in CSV unless it names a JSON column, before any request", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "orders.csv", ordersCopyCsv(ORDERS));
    const plain = ORDERS_MAPPING.replace("json_columns: [buyer, lines]", "json_columns: [buyer]");
    const map = write(dir, "events.yaml", plain);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "items.from is for NDJSON, or in CSV/TSV a list in a JSON column (source.json_columns)",
    );
    expect(e.store.eventCount()).toBe(0);
  });
});
