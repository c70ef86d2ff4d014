/**
 * The kinds of run, as the tests of one behaviour see them (`describe.each(KINDS)`): the command,
 * the API path it posts to, and a small good file of it with its mapping. A new kind adds a line.
 */
import { join } from "node:path";
import type { Program } from "../../src/cli/args.js";
import type { Catalog } from "../../src/emulator/catalog.js";
import { CATALOG, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { TOKEN, USERS_MAPPING, usersCsv } from "./helpers.js";

export interface KindCase {
  readonly program: Program;
  readonly path: string;
  readonly mapping: string;
  /** The input's file name and `count` rows of it. */
  readonly file: string;
  readonly rows: (count: number) => string;
  /** What the emulator must register to accept the file. */
  readonly catalog: Catalog | undefined;
  /** A catalog under which the API refuses every unit of the file (40001). */
  readonly refusing: Catalog;
  /** The line of the file's first row (after a header). */
  readonly firstLine: number;
  /** What the canary and the breaker count. */
  readonly counted: "rows" | "events";
  /** A payload a dead-letter record of this kind stores, and what it is called. */
  readonly payload: object;
  readonly payloadIs: string;
}

export const KINDS: readonly KindCase[] = [
  {
    program: "import-profiles",
    path: "/api/v1/user-profile",
    mapping: USERS_MAPPING,
    file: "users.csv",
    rows: usersCsv,
    catalog: undefined,
    refusing: { other: "String" }, // points is not registered
    firstLine: 2,
    counted: "rows",
    payload: { identity: { external_id: "u1" }, user_properties: { df_name: "Kim" } },
    payloadIs: "a user profile",
  },
  {
    program: "import-events",
    path: "/api/v1/events",
    mapping: ORDERS_MAPPING,
    file: "orders.ndjson",
    rows: (count) => ordersNdjson(count, 10),
    catalog: CATALOG,
    refusing: { events: { df_other: {} } }, // neither df_purchase nor df_sign_up is registered
    firstLine: 1,
    counted: "events",
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
  },
];

export const ENV = { DFINERY_ACCESS_TOKEN: TOKEN };

/** The flags of a run of `kind` against the emulator at `url`, writing into `dir`. */
export function kindFlags(dir: string, url: string): string[] {
  return [
    ...["--endpoint", url, "--service-id", "test-service", "--rate", "2000/s"],
    ...["--dead-letter", join(dir, "dl.ndjson"), "--report", join(dir, "report.json")],
    ...["--log", join(dir, "log.ndjson")],
  ];
}

/** A dead-letter record of `kind`'s file, as its run writes it. */
export function deadLetterLine(kind: KindCase): string {
  return `${JSON.stringify({
    line: 2,
    row: { id: "u1" },
    payload: kind.payload,
    error: { stage: "api", code: "HTTP_500", message: "server error" },
    attempts: 6,
    at: "2026-11-29T00:00:00.000Z",
    format: "csv",
  })}\n`;
}
