/**
 * The kinds of run, as the tests of one behaviour see them (`describe.each(KINDS)`): the command,
 * the API path it posts to, a small good file of it with its mapping, and what differs in how the
 * emulator and the report show its units. A new kind adds a line; a behaviour's suite runs for each.
 */
import { join } from "node:path";
import { expect } from "vitest";
import { IDENTITIES_PATH } from "../../src/api/dfinery.js";
import { IDENTITIES_DELETE_PATH } from "../../src/api/identities.js";
import type { Program } from "../../src/cli/args.js";
import type { Catalog } from "../../src/emulator/catalog.js";
import type { Emulator, EmulatorInit } from "../../src/emulator/index.js";
import { CATALOG, ORDERS_MAPPING, ordersNdjson, T0 } from "./event-fixtures.js";
import { TOKEN, USERS_MAPPING, usersCsv } from "./helpers.js";
import { answer, type Handler } from "./hostile-server.js";

/** Starts an emulator (emulatorPerTest's). */
export type StartEmulator = (init?: EmulatorInit) => Promise<Emulator>;

export interface KindCase {
  readonly program: Program;
  readonly path: string;
  readonly mapping: string;
  /** The input's file name. */
  readonly file: string;
  /**
   * `count` units, one a row, each of its own user (u0, u1, … or m0, m1, …); the rows whose index is in
   * `invalid` fail mapping, dead-lettered with `invalidCode` and never sent.
   */
  readonly rows: (count: number, invalid?: ReadonlySet<number>) => string;
  readonly invalidCode: string;
  /** The dead-letter record of invalid row i (its cells, no payload, the reason), as matched. */
  readonly invalid: (i: number) => object;
  /**
   * Unit i of `rows` as the emulator holds it and a dead-letter record stores it (profiles: the
   * update; events: a request body of the one event; else the identity).
   */
  readonly unit: (i: number) => object;
  /** The request body of unit i, as sent (and as --dry-run --sample prints it). */
  readonly body: (i: number) => object;
  /** The column the identity's external_id is read from. */
  readonly idColumn: string;
  /** What a dry run's summary calls the units it would send. */
  readonly dryWord: string;
  /** The user (external_id) of unit i of `rows`. */
  readonly userOf: (i: number) => string;
  /** What the emulator must register to accept the file. */
  readonly catalog: Catalog | undefined;
  /** Starts an emulator (given `init` too) under which the API refuses (40001) every unit of rows(count). */
  readonly refusing: (
    start: StartEmulator,
    count: number,
    init?: EmulatorInit,
  ) => Promise<Emulator>;
  /** The emulator's option that limits this kind's endpoint. */
  readonly limitOption: "limit" | "eventLimit" | "identityLimit";
  /** The line of the file's first row (after a header). */
  readonly firstLine: number;
  /** What the canary and the breaker count. */
  readonly counted: "rows" | "events";
  /** What the report and the summary call the units the API took. */
  readonly word: "accepted" | "deleted";
  /** The flags this kind cannot run without (delete: --yes). */
  readonly confirm: readonly string[];
  /** The user (external_id) of a request body of this kind, as a server receives it. */
  readonly userIn: (body: unknown) => string;
  /** The requests the breaker's diagnosis may add (profiles re-send a refused row's properties). */
  readonly probes: number;
  /**
   * The units the emulator took, in arrival order, each as a dead-letter record of this kind
   * stores it (profiles: the update; events: a request body of the one event; else the identity).
   */
  readonly held: (e: Emulator) => object[];
  /** Why a row never mapped fails again when its dead-letter file is replayed without --map. */
  readonly neverMapped: string;
  /** The users of the units the emulator took, one a unit, in arrival order. */
  readonly sent: (e: Emulator) => string[];
  /** A row of the file (a line of it) changed so that its unit is another of the same user. */
  readonly change: (line: string) => string;
  /** The mapping changed (its fingerprint, not what it makes of the file). */
  readonly changedMapping: string;
  /** The mapping under which the invalid rows are valid; null: no mapping makes them so. */
  readonly fixedMapping: string | null;
  /** What a state file of this kind remembers, as the refusal of another command's run says. */
  readonly remembers: string;
  /** What `status` says a state file of this kind remembers, `n` units. */
  readonly known: (n: number) => string;
  /** Its dead-letter records name the command (their payloads alone would not tell). */
  readonly namesCommand: boolean;
  /** A payload a dead-letter record of this kind stores, and what it is called. */
  readonly payload: object;
  readonly payloadIs: string;
  /** The request body `payload` goes out as, replayed. */
  readonly payloadSent: object;
}

/** Line i (0-based) of a text, replaced by `edit` of it, for the indexes in `at`. */
function editLines(text: string, at: ReadonlySet<number>, edit: (line: string) => string): string {
  return text
    .split("\n")
    .map((line, i) => (at.has(i) ? edit(line) : line))
    .join("\n");
}

/** `count` members, each with an id, an email and a name; the `invalid` ones with a name alone. */
export function membersCsv(count: number, invalid: ReadonlySet<number> = new Set()): string {
  const lines = ["member_id,email,name"];
  for (let i = 0; i < count; i++)
    lines.push(invalid.has(i) ? `,,Member ${i}` : `m${i},member${i}@example.com,Member ${i}`);
  return `${lines.join("\n")}\n`;
}

export const MEMBERS_MAPPING = "identity:\n  external_id: member_id\n  email: email\n";

/**
 * An emulator whose unified profiles hold each member's id and email apart, as two people: every
 * member's identity names two profiles, which the identities API refuses (40001), linking or deleting.
 */
async function twoPeopleEach(start: StartEmulator, count: number, init: EmulatorInit = {}) {
  const e = await start(init);
  const request_datetime = new Date(0).toISOString();
  for (let i = 0; i < count; i++) {
    for (const identity of [{ external_id: `m${i}` }, { email: `member${i}@example.com` }]) {
      e.store.apply({ endpoint: IDENTITIES_PATH, identity, request_datetime, receivedAt: 0 });
    }
  }
  return e;
}

const requestsTo = (e: Emulator, path: string) =>
  e.store
    .list()
    .filter((r) => r.endpoint === path)
    .map((r) => String(r.identity.external_id));

const heldAt = (e: Emulator, path: string) =>
  e.store
    .list()
    .filter((r) => r.endpoint === path)
    .map(({ identity }) => ({ identity }));

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** A unit sent with the time of its request (profiles, identities, deletes). */
const timed = (unit: object) => ({ ...unit, request_datetime: ISO });

/** Event i of ordersNdjson(count, count): a sign-up every 7th, else an order with two items. */
function orderEvent(i: number) {
  const event_log_id = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
  const event_datetime = new Date(T0 + i * 1000).toISOString();
  if (i % 7 === 0)
    return { event_log_id, event_name: "df_sign_up", event_datetime, event_properties: {} };
  return {
    event_log_id,
    event_name: "df_purchase",
    event_datetime,
    event_properties: { df_order_id: `o${i}`, df_total_purchase_amount: 1000 + i },
    event_items: [
      { df_item_id: `S${i}`, df_price: 500, df_quantity: 2 },
      { df_item_id: `T${i}`, df_price: 500.5, df_quantity: 1 },
    ],
  };
}

const PROFILES: KindCase = {
  program: "import-profiles",
  path: "/api/v1/user-profile",
  mapping: USERS_MAPPING,
  file: "users.csv",
  rows: usersCsv,
  invalidCode: "INVALID_VALUE",
  invalid: (i) => ({
    row: { id: `u${i}`, email: `user${i}@example.com`, points: "lots" },
    payload: null,
    error: {
      stage: "mapping",
      code: "INVALID_VALUE",
      field: "points",
      message: expect.stringContaining('"lots"'),
    },
    format: "csv",
  }),
  userOf: (i) => `u${i}`,
  unit: (i) => ({
    identity: { external_id: `u${i}`, email: `user${i}@example.com` },
    user_properties: { points: i },
  }),
  body: (i) => timed(PROFILES.unit(i)),
  idColumn: "id",
  dryWord: "valid",
  catalog: undefined,
  refusing: (start, _count, init = {}) => start({ ...init, catalog: { other: "String" } }), // points is not registered
  limitOption: "limit",
  firstLine: 2,
  counted: "rows",
  word: "accepted",
  confirm: [],
  userIn: (body) => (body as { identity: { external_id: string } }).identity.external_id,
  probes: 4,
  held: (e) =>
    e.store
      .list()
      .filter((r) => r.endpoint === "/api/v1/user-profile")
      .map(({ identity, user_properties }) => ({ identity, user_properties })),
  neverMapped: "this row was never mapped: replay it with --map",
  sent: (e) => requestsTo(e, "/api/v1/user-profile"),
  change: (line) => line.replace(/,(\d+)$/, ",9$1"), // other points
  changedMapping: USERS_MAPPING.replace(
    "{ column: email }",
    "{ column: email, transform: [lowercase] }",
  ),
  fixedMapping: USERS_MAPPING.replace("type: Long", "type: String"), // "lots" is a String
  remembers: "the user profiles DFINERY accepted",
  known: (n) => `identities known: ${n}`,
  namesCommand: false,
  payload: { identity: { external_id: "u1" }, user_properties: { df_name: "Kim" } },
  payloadIs: "a user profile",
  payloadSent: {
    identity: { external_id: "u1" },
    user_properties: { df_name: "Kim" },
    request_datetime: expect.any(String),
  },
};

const EVENTS: KindCase = {
  program: "import-events",
  path: "/api/v1/events",
  mapping: ORDERS_MAPPING,
  file: "orders.ndjson",
  rows: (count, invalid = new Set()) =>
    editLines(ordersNdjson(count, count), invalid, (l) =>
      l.replace(/"created_at":\d+/, '"created_at":"never"'),
    ),
  invalidCode: "INVALID_VALUE",
  invalid: (i) => ({
    row: { user_id: `u${i}`, created_at: "never" },
    payload: null,
    error: {
      stage: "mapping",
      code: "INVALID_VALUE",
      field: "event.datetime",
      message: expect.stringContaining('"never"'),
    },
    format: "ndjson",
  }),
  userOf: (i) => `u${i}`,
  unit: (i) => ({ common: { identity: { external_id: `u${i}` } }, events: [orderEvent(i)] }),
  body: (i) => EVENTS.unit(i),
  idColumn: "user_id",
  dryWord: "valid",
  catalog: CATALOG,
  // Neither df_purchase nor df_sign_up is registered.
  refusing: (start, _count, init = {}) => start({ ...init, catalog: { events: { df_other: {} } } }),
  limitOption: "eventLimit",
  firstLine: 1,
  counted: "events",
  word: "accepted",
  confirm: [],
  userIn: (body) =>
    (body as { common: { identity: { external_id: string } } }).common.identity.external_id,
  probes: 0,
  held: (e) =>
    e.store.events().map((s) => ({ common: { identity: s.identity }, events: [s.event] })),
  neverMapped: "this row was never mapped, so no event was stored: replay it with --map",
  sent: (e) => e.store.events().map((s) => String(s.identity.external_id)),
  // Another time: another event.
  change: (line) => line.replace(/"created_at":(\d+)/, (_, t) => `"created_at":${Number(t) + 1}`),
  changedMapping: ORDERS_MAPPING.replace(
    "identity: { external_id: user_id }",
    "identity: { external_id: { column: user_id, transform: [lowercase] } }",
  ),
  fixedMapping: null, // a datetime of "never" is no time
  remembers: "the events DFINERY accepted",
  known: (n) => `events known: ${n} (of import-events)`,
  namesCommand: false,
  payload: {
    common: { identity: { external_id: "u1" } },
    events: [
      {
        event_log_id: "00000000-0000-5000-8000-000000000001",
        event_name: "df_sign_up",
        event_datetime: "2024-05-14T06:05:46.000Z",
        event_properties: {},
      },
    ],
  },
  payloadIs: "an events request body",
  get payloadSent() {
    return EVENTS.payload;
  },
};

/** What the identities and delete kinds share: a row is one member, an identity alone. */
const MEMBERS = {
  mapping: MEMBERS_MAPPING,
  file: "members.csv",
  rows: membersCsv,
  invalidCode: "NO_IDENTITY",
  invalid: (i: number) => ({
    row: { member_id: "", email: "", name: `Member ${i}` },
    payload: null,
    error: {
      stage: "mapping",
      code: "NO_IDENTITY",
      message: 'no identity: columns "member_id", "email" are all empty',
    },
    format: "csv",
  }),
  userOf: (i: number) => `m${i}`,
  unit: (i: number) => ({ identity: { external_id: `m${i}`, email: `member${i}@example.com` } }),
  body: (i: number) => timed(MEMBERS.unit(i)),
  idColumn: "member_id",
  catalog: undefined,
  refusing: twoPeopleEach,
  limitOption: "identityLimit",
  firstLine: 2,
  counted: "rows",
  payload: { identity: { external_id: "m1" } },
  payloadSent: { identity: { external_id: "m1" }, request_datetime: expect.any(String) },
  namesCommand: true,
  change: (line: string) => line.replace("@example.com", "@example.net"), // another email
  changedMapping: MEMBERS_MAPPING.replace(
    "email: email",
    "email: { column: email, transform: [lowercase] }",
  ),
  fixedMapping: null, // a row with no identifier names nobody
  neverMapped: "this row was never mapped: replay it with --map",
  userIn: (body: unknown) => (body as { identity: { external_id: string } }).identity.external_id,
  probes: 0,
} as const;

const IDENTITIES: KindCase = {
  ...MEMBERS,
  program: "dfinery-import identities",
  path: IDENTITIES_PATH,
  word: "accepted",
  dryWord: "valid",
  confirm: [],
  held: (e) => heldAt(e, IDENTITIES_PATH),
  sent: (e) => requestsTo(e, IDENTITIES_PATH),
  remembers: "the identities DFINERY linked",
  known: (n) => `identities linked: ${n} (of dfinery-import identities)`,
  payloadIs: "an identity to link",
};

const DELETES: KindCase = {
  ...MEMBERS,
  program: "dfinery-import delete",
  path: IDENTITIES_DELETE_PATH,
  word: "deleted",
  dryWord: "to delete",
  confirm: ["--yes"],
  held: (e) => heldAt(e, IDENTITIES_DELETE_PATH),
  sent: (e) => requestsTo(e, IDENTITIES_DELETE_PATH),
  remembers: "the people DFINERY deleted",
  known: (n) => `people deleted: ${n} (of dfinery-import delete)`,
  payloadIs: "an identity to delete",
};

export const KINDS: readonly KindCase[] = [PROFILES, EVENTS, IDENTITIES, DELETES];

export const ENV = { DFINERY_ACCESS_TOKEN: TOKEN };

/**
 * A hostile server's handler for `kind`: refuses (40001) the requests of the users whose number
 * (u7, m7: 7) `refused` holds, accepts the others.
 */
export function refusingUsers(kind: KindCase, refused: (user: number) => boolean): Handler {
  return (_n, _req, res, body) => {
    const user = Number(kind.userIn(JSON.parse(body)).slice(1));
    answer(res, 200, refused(user) ? "40001" : "20000");
  };
}

/** The flags of a run of `kind` against the emulator at `url`, writing into `dir`. */
export function kindFlags(dir: string, url: string): string[] {
  return [
    ...["--endpoint", url, "--service-id", "test-service", "--rate", "2000/s"],
    ...["--dead-letter", join(dir, "dl.ndjson"), "--report", join(dir, "report.json")],
    ...["--log", join(dir, "log.ndjson")],
  ];
}

/** A dead-letter record of `kind`'s file, as its run writes it. */
export function deadLetterLine(
  kind: KindCase,
  { line = 2, payload = kind.payload }: { line?: number; payload?: object } = {},
): string {
  return `${JSON.stringify({
    line,
    row: { id: "u1" },
    payload,
    error: { stage: "api", code: "HTTP_500", message: "server error" },
    attempts: 6,
    at: "2026-11-29T00:00:00.000Z",
    format: "csv",
    ...(kind.namesCommand ? { command: kind.program } : {}),
  })}\n`;
}
