/**
 * Every flag of the command line, declared once: its value's name, what it does, its default, the
 * flag it needs. A command lists the flags it takes (commands.ts); its --help, the README's flag
 * tables and the checks between flags all come from here. Text in `backticks` is code: the README
 * keeps the marks, a terminal's help drops them.
 */
import { DEFAULT_ENDPOINT } from "../api/dfinery.js";
import { DEFAULT_OPTIONS } from "../emulator/options.js";

/** What a flag says, for one command where it says something else than for the others. */
export interface FlagText {
  readonly help?: string;
  /** The value used when the flag is not given, parsed as a given one would be. */
  readonly default?: string;
  /** How the default is shown when it is no value the flag takes (`<state>.key`). */
  readonly shows?: string;
  /** The environment variable read when the flag is not given; null: none for this command. */
  readonly env?: string | null;
}

export interface FlagDef extends FlagText {
  /** The value's name in the help (`FILE`); none: a switch, off unless given. */
  readonly value?: string;
  readonly short?: string;
  readonly help: string;
  /** The flag it makes sense only with: `--resume` needs `--state FILE`. */
  readonly needs?: string;
  /** Per command (by its name): where the flag says something else. */
  readonly for?: Readonly<Record<string, FlagText>>;
}

const MAX_ERROR_RATE =
  "stop (exit 3) when over this share of the last 200 ROWS, or 20 in a row with one code, are refused for good; `1` turns this off";

export const FLAGS = {
  map: {
    value: "FILE",
    help: "the mapping file (YAML); see `config/mapping.example.yaml`",
    for: {
      events: { help: "the mapping file (YAML), with an `event` section" },
      identities: { help: "the mapping file (YAML), with an `identity` section only" },
      delete: { help: "the mapping file (YAML), with an `identity` section only" },
    },
  },
  "dry-run": {
    help: "read, map and validate every row; send nothing; needs no token",
    for: {
      events: { help: "read, map, batch and validate every row; send nothing; needs no token" },
      delete: {
        help: "read, map and validate every row, and count the people it would delete; send nothing; needs no token and no `--yes`",
      },
    },
  },
  yes: {
    help: "confirm the deletes: without it (or `--dry-run`), delete refuses to run and reads nothing",
  },
  sample: {
    value: "N",
    help: "print the first N payloads on stdout exactly as they would be sent",
    default: "0",
    for: {
      events: { help: "print the first N request bodies on stdout exactly as they would be sent" },
    },
  },
  "batch-wait": {
    value: "DURATION",
    help: "send a user's batch when no event of theirs came for this long of reading (at most `1h`)",
    default: "250ms",
  },
  "group-by-identity": {
    help: "read the whole input first (spilled to a scratch file on disk), then send each identity's rows together: one update an identity, the later row winning; for a file not sorted by user",
    for: {
      events: {
        help: "read the whole input first (spilled to a scratch file on disk), then send each user's events together, in as few requests as the limits allow; for a time-ordered export",
      },
    },
  },
  "service-id": {
    value: "ID",
    help: "DFINERY service id",
    env: "DFINERY_SERVICE_ID",
    for: {
      emulator: {
        help: "the accepted `service_id` query parameter (else 200 + 40101)",
        default: DEFAULT_OPTIONS.serviceId,
        env: null,
      },
    },
  },
  "token-file": {
    value: "FILE",
    help: "file holding the access token (or env `DFINERY_ACCESS_TOKEN`; never printed or logged)",
  },
  endpoint: {
    value: "URL",
    help: "API base URL",
    env: "DFINERY_ENDPOINT",
    default: DEFAULT_ENDPOINT,
  },
  rate: {
    value: "N/m|N/s|N/h",
    help: "the token's rate limit",
    default: "10000/m",
    for: { events: { help: "the token's rate limit for events", default: "1000000/m" } },
  },
  concurrency: {
    value: "N",
    help: "requests in flight at most",
    default: "32",
    for: {
      events: {
        help: "requests in flight at most (enough to keep a 50 ms API at 1,000,000 requests a minute)",
        default: "1000",
      },
    },
  },
  "max-attempts": {
    value: "N",
    help: "attempts per row for transient failures",
    default: "6",
    for: { events: { help: "attempts per request for transient failures" } },
  },
  "max-error-rate": {
    value: "R",
    help: `the circuit breaker: ${MAX_ERROR_RATE.replace("ROWS", "rows")}`,
    default: "0.5",
    for: { events: { help: `the circuit breaker: ${MAX_ERROR_RATE.replace("ROWS", "events")}` } },
  },
  canary: {
    value: "N",
    help: "send the first N rows; stop (exit 3) before reading further if none was accepted",
    default: "0",
    shows: "0, off",
    for: {
      events: {
        help: "send the first N events (a CSV group of item rows is one event); stop (exit 3) before reading further if none was accepted",
      },
    },
  },
  "max-wait": {
    value: "DURATION",
    help: "the longest wait for the rate limit (`30s`, `10m`, `2h`); a longer one stops the run (exit 3) with the time to `--resume`",
    default: "10m",
  },
  "dead-letter": {
    value: "FILE",
    help: "where undelivered rows go; a dry run writes `<input name>.dry-run.dead-letter.ndjson` unless given",
    shows: "`<input name>.dead-letter.ndjson` here",
  },
  report: {
    value: "FILE",
    help: "the run summary as JSON (a file, or a device or pipe such as `/dev/stdout`)",
  },
  state: {
    value: "FILE",
    help: "SQLite state: send only rows that changed since DFINERY last accepted them; makes the run resumable",
    for: {
      events: {
        help: "SQLite state (not import-profiles' file): send only the events DFINERY has not accepted yet; makes the run resumable",
      },
      status: { help: "the state file to show" },
      identities: {
        help: "SQLite state (a file of its own): send only the identities an earlier run has not linked; makes the run resumable",
      },
      delete: {
        help: "SQLite state (a file of its own): skip the people an earlier run deleted; makes the run resumable",
      },
    },
  },
  strict: {
    help: "exit 1 for any dead-lettered row, also rows failing just as on an earlier run (by default, with `--state`, only new failures do)",
  },
  "state-key": {
    value: "FILE",
    needs: "state",
    help: "the secret the state file's hashes are keyed with; created (0600) on first use; keep it, and back it up apart from the state",
    shows: "`<state>.key`",
    for: {
      events: {
        help: "the secret the state file's event ids are keyed with; created (0600) on first use; keep it, and back it up apart from the state",
      },
    },
  },
  full: {
    needs: "state",
    help: "with `--state`: send every row (and refresh the state); start over instead of resuming",
    for: {
      events: {
        help: "with `--state`: send every event (and record it); start over instead of resuming",
      },
    },
  },
  resume: {
    needs: "state",
    help: "with `--state`: continue the interrupted run of the same input and mapping",
  },
  "keep-events": {
    value: "DURATION",
    needs: "state",
    help: "with `--state`: after a finished run, forget the events accepted more than this before its start (`90d`), whatever their time; one read again is sent again, its own id",
    shows: "every event kept",
  },
  format: {
    value: "csv|tsv|ndjson|xlsx",
    help: "input format",
    shows: "from the extension or the mapping",
    for: { init: { shows: "from the name, else the first line" } },
  },
  encoding: {
    value: "ENC",
    help: "`utf8`, `utf16le`, `cp949`/`euc-kr`",
    shows: "`utf8`; a BOM wins",
    for: {
      init: { help: "`utf8`, `utf16le`, `utf16be`, `cp949`", shows: "found by strict decoding" },
    },
  },
  sheet: {
    value: "NAME|N",
    help: "xlsx: the sheet to read, by name or number in tab order (`docs/workbooks.md`)",
    shows: "the first visible sheet",
  },
  delimiter: { value: "C", help: "CSV delimiter (`tab` for a tab)", shows: "`,`; tab for `.tsv`" },
  "no-header": {
    help: "CSV/TSV: the first line is data, not column names (the draft names the columns `column_1`, `column_2`…)",
    shows: "found from the first line",
  },
  dialect: {
    value: "mysql|postgres",
    help: "CSV/TSV written by a database dump: backslash escapes, `\\N` for NULL",
    shows: "found from the first lines",
  },
  "max-cell-lines": {
    value: "N",
    help: "deprecated, no effect: a quoted CSV cell that closes is one cell, however many lines (`docs/csv.md`)",
  },
  log: {
    value: "FILE",
    help: "JSON logs to a file (or a device or pipe such as `/dev/null`) instead of stderr",
    shows: "stderr",
    for: {
      emulator: {
        help: "append one NDJSON line per accepted request (per event for events; a delete's line stays: the log is append-only)",
        shows: "—",
      },
    },
  },
  "log-level": {
    value: "LEVEL",
    help: "`fatal`, `error`, `warn`, `info`, `debug`",
    default: "info",
  },
  quiet: {
    help: "for cron: nothing at all on stdout or stderr when the run exits 0; else the summary and the reason",
  },
  out: {
    value: "FILE",
    help: "where to write the draft mapping",
    default: "mapping.yaml",
    for: { "events init": { default: "events.yaml" } },
  },
  force: { help: "replace the `--out` file if it exists" },
  port: { value: "N", help: "port to listen on; `0` picks a free one", default: "8787" },
  host: { value: "HOST", help: "address to listen on", default: DEFAULT_OPTIONS.host },
  token: {
    value: "TOKEN",
    help: "the accepted `access_token` header (else 200 + 40201)",
    default: DEFAULT_OPTIONS.token,
  },
  catalog: {
    value: "FILE",
    help: "JSON of registered properties: `{name: type}` (String, Long, Double, Boolean, Datetime, Date, Array of String, Long or Double), or with events (docs/emulator.md); an unregistered or wrong-typed property is refused (40001)",
    shows: "any name",
  },
  limit: {
    value: "N/UNIT",
    help: "requests per token per window aligned to the clock, UNIT `s`, `m`, `h` or `d`; `none` disables",
    default: "10000/m",
  },
  "event-limit": {
    value: "N/UNIT",
    help: "the same for `/api/v1/events`, counted apart",
    default: "1000000/m",
  },
  "identity-limit": {
    value: "N/UNIT",
    help: "the same for `/api/v1/identities` and `/api/v1/identities/delete`, one window for both, counted apart",
    default: "10000/m",
  },
  "reset-unit": {
    value: "s|ms",
    help: "unit of `X-Rate-Limit-Reset`",
    default: DEFAULT_OPTIONS.resetUnit,
  },
  "header-style": {
    value: "STYLE",
    help: "`hyphen` (`X-Rate-Limit-*`), `nohyphen` (`x-ratelimit-*`) or `none`",
    default: DEFAULT_OPTIONS.headerStyle,
  },
  "over-limit": {
    value: "http429|code40401",
    help: "how an over-limit request is refused: HTTP 429, or HTTP 200 with code 40401",
    default: DEFAULT_OPTIONS.overLimit,
  },
  "fail-rate": {
    value: "R",
    help: "share of requests answered with a server error, 0..1",
    default: "0",
  },
  "fail-as": {
    value: "http500|code50000|both",
    help: "the form of those errors",
    default: DEFAULT_OPTIONS.failAs,
  },
  "reset-rate": {
    value: "R",
    help: "share of connections destroyed without an answer, 0..1",
    default: "0",
  },
  "latency-ms": { value: "N", help: "delay before every answer", default: "0" },
  "jitter-ms": { value: "N", help: "extra uniform delay 0..N", default: "0" },
  help: { short: "h", help: "this help" },
  version: { short: "V", help: "the version of dfinery-import" },
} as const satisfies Readonly<Record<string, FlagDef>>;

export type FlagName = keyof typeof FLAGS;

/** The flags of an import run, whatever it imports: a command of another kind lists these. */
export const RUN_FLAGS = [
  "map",
  "dry-run",
  "sample",
  "service-id",
  "token-file",
  "endpoint",
  "rate",
  "concurrency",
  "max-attempts",
  "max-error-rate",
  "canary",
  "max-wait",
  "dead-letter",
  "report",
  "state",
  "strict",
  "state-key",
  "full",
  "resume",
  "format",
  "encoding",
  "delimiter",
  "sheet",
  "max-cell-lines",
  "log",
  "log-level",
  "quiet",
] as const satisfies readonly FlagName[];

/** The emulator's flags. */
export const EMULATOR_FLAGS = [
  "port",
  "host",
  "token",
  "service-id",
  "catalog",
  "limit",
  "event-limit",
  "identity-limit",
  "reset-unit",
  "header-style",
  "over-limit",
  "fail-rate",
  "fail-as",
  "reset-rate",
  "latency-ms",
  "jitter-ms",
  "log",
] as const satisfies readonly FlagName[];

/** What `flag` says for `command`: its own text where it has one, else the flag's. */
export function flagText(name: FlagName, command: string): FlagDef {
  const flag: FlagDef = FLAGS[name];
  return { ...flag, ...flag.for?.[command] };
}
