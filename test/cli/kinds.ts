/**
 * The kinds of run, as the tests of one behaviour see them (`describe.each(KINDS)`): the command,
 * the API path it posts to, and a small good file of it with its mapping. A new kind adds a line.
 */
import type { Program } from "../../src/cli/args.js";
import type { ExtendedCatalog } from "../../src/emulator/index.js";
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
  readonly catalog: ExtendedCatalog | undefined;
}

export const KINDS: readonly KindCase[] = [
  {
    program: "import-profiles",
    path: "/api/v1/user-profile",
    mapping: USERS_MAPPING,
    file: "users.csv",
    rows: usersCsv,
    catalog: undefined,
  },
  {
    program: "import-events",
    path: "/api/v1/events",
    mapping: ORDERS_MAPPING,
    file: "orders.ndjson",
    rows: (count) => ordersNdjson(count, 10),
    catalog: CATALOG,
  },
];

export const ENV = { DFINERY_ACCESS_TOKEN: TOKEN };
