import { parseArgs } from "node:util";
import { DEFAULT_ENDPOINT } from "../api/dfinery.js";
import { parseRate, type Rate } from "../delivery/rate.js";
import { UsageError } from "../errors.js";
import type { SourceFormat } from "../source/types.js";

export const USAGE = `Usage: import-profiles <input> --map <mapping.yaml> [options]
       import-profiles status --state FILE
       import-profiles init <input> [--out mapping.yaml] [--force]   (a first, commented mapping)

Streams a CSV, TSV or NDJSON file (or - for stdin; .gz is read as it comes) into DFINERY:
one POST /api/v1/user-profile per row, paced to the token's rate limit, with retries.
A dead-letter file from an earlier run is a valid input: with --map its rows are mapped
again; without --map its stored payloads are sent again as they were.

Options:
  --map FILE             the mapping file (YAML); see config/mapping.example.yaml
  --dry-run              read, map and validate everything; send nothing; no token needed
  --sample N             print the first N payloads exactly as they would be sent
  --service-id ID        DFINERY service id (env DFINERY_SERVICE_ID)
  --token-file FILE      file holding the access token (or env DFINERY_ACCESS_TOKEN)
  --endpoint URL         API base URL (env DFINERY_ENDPOINT; default ${DEFAULT_ENDPOINT})
  --rate N/m|N/s|N/h     the token's rate limit (default 10000/m)
  --concurrency N        requests in flight at most (default 32)
  --max-attempts N       attempts per row for transient failures (default 6)
  --max-wait DURATION    the longest wait for the rate limit, like 30s, 10m, 2h (default 10m);
                         a longer one stops the run (exit 3) with the time to --resume
  --dead-letter FILE     rows not delivered (default <input name>.dead-letter.ndjson here;
                         a dry run: <input name>.dry-run.dead-letter.ndjson)
  --report FILE          write the run summary as JSON
  --state FILE           remember what DFINERY accepted (SQLite): send only rows that changed
                         since, and make the run resumable
  --strict               exit 1 for any dead-lettered row, also rows that fail as they did
                         on an earlier run (by default, with --state, only new failures do)
  --state-key FILE       the secret the state file's hashes are keyed with (default <state>.key;
                         created 0600 on first use; keep it, and back it up apart from the state)
  --full                 with --state: send every row (and refresh the state); start over
  --resume               with --state: continue the interrupted run of the same input
  --keep-events DURATION with --state: after a finished run, forget the accepted events older
                         than this before its start, like 90d (default: remember every event;
                         the file grows ~42 bytes an event); a forgotten event read again is
                         sent again, with its same id
  --format FMT           csv | tsv | ndjson (default: from the extension or the mapping)
  --encoding ENC         utf8 | utf16le | cp949 | euc-kr (default utf8; a BOM wins)
  --delimiter C          CSV delimiter (default , ; tab for .tsv)
  --max-cell-lines N     a quoted CSV cell open for more lines than this is taken as an
                         unclosed quote: its first line is dead-lettered, reading goes on at the
                         next (default 100)
  --log FILE             JSON logs to FILE instead of stderr
  --log-level LEVEL      fatal | error | warn | info | debug (default info)
  --max-error-rate R     stop (exit 3) when over this share of the last 200 rows, or 20 in a row
                         with one code, are refused for good; 1 turns this off (default 0.5)
  --canary N             send the first N rows; stop (exit 3) before reading further if none
                         was accepted (default 0: off)
  --quiet                for cron: print nothing at all when the run exits 0; otherwise
                         the summary and the reason
  -h, --help             this help

Exit codes: 0 all rows delivered (dry run: all valid); 1 some rows dead-lettered;
2 usage, mapping or input error; 3 stopped by the API (bad token or service id,
an outage, a quota spent beyond --max-wait): resumable; 130 interrupted.
`;

/**
 * import-events' default concurrency: at 1,000,000 requests a minute (16,667/s) an API answering
 * in 50 ms needs 834 requests in flight to be kept at its limit.
 */
export const EVENT_CONCURRENCY = 1000;

/** import-events: the help text. Its other flags mean what they mean for import-profiles. */
export const EVENTS_USAGE = `Usage: import-events <input> --map <events.yaml> [options]
       import-events status --state FILE

Streams a CSV, TSV or NDJSON file of events (orders, sign-ups…) into DFINERY: the events of one
user are gathered into requests of at most 100 events and 100 items (POST /api/v1/events),
paced to the token's rate limit, with retries. A refused request is split in halves until the
bad events are found: only they are dead-lettered.

A dead-letter file from an earlier run is a valid input: with --map its rows are mapped
again; without --map its stored events are sent again as they were, with the same ids.

Options:
  --map FILE             the mapping file (YAML) with an event section; see the README, "Events"
  --dry-run              read, map, batch and validate everything; send nothing; no token needed
  --sample N             print the first N request bodies exactly as they would be sent
  --batch-wait DURATION  send a user's batch when no event of theirs came for this long of
                         reading, like 250ms or 1s (default 250ms; at most 1h)
  --service-id ID        DFINERY service id (env DFINERY_SERVICE_ID)
  --token-file FILE      file holding the access token (or env DFINERY_ACCESS_TOKEN)
  --endpoint URL         API base URL (env DFINERY_ENDPOINT; default ${DEFAULT_ENDPOINT})
  --rate N/m|N/s|N/h     the token's rate limit for events (default 1000000/m)
  --concurrency N        requests in flight at most (default ${EVENT_CONCURRENCY}: enough to keep a 50 ms API
                         at 1,000,000 requests a minute)
  --max-attempts N       attempts per request for transient failures (default 6)
  --max-wait DURATION    the longest wait for the rate limit (default 10m); a longer one stops
                         the run (exit 3)
  --dead-letter FILE     rows not delivered (default <input name>.dead-letter.ndjson here)
  --report FILE          write the run summary as JSON
  --state FILE           remember the events DFINERY accepted (SQLite; not import-profiles'
                         file): an export overlapping an earlier one sends only new events,
                         and the run is resumable
  --strict               exit 1 for any dead-lettered row, also rows that fail as they did
                         on an earlier run (by default, with --state, only new failures do)
  --state-key FILE       the secret the state file's event ids are keyed with (default
                         <state>.key; created 0600 on first use; keep it, and back it up)
  --full                 with --state: send every event (and record it); start over
  --resume               with --state: continue the interrupted run of the same input
  --format FMT           csv | tsv | ndjson (default: from the extension or the mapping)
  --encoding ENC         utf8 | utf16le | cp949 | euc-kr (default utf8; a BOM wins)
  --delimiter C          CSV delimiter (default , ; tab for .tsv)
  --max-cell-lines N     a quoted CSV cell open for more lines than this is an unclosed quote
                         (default 100)
  --log FILE             JSON logs to FILE instead of stderr
  --log-level LEVEL      fatal | error | warn | info | debug (default info)
  --max-error-rate R     stop (exit 3) when over this share of the last 200 events, or 20 in a
                         row with one code, are refused for good; 1 turns this off (default 0.5)
  --canary N             send the first N events (not rows: a CSV group of item rows is one
                         event); stop (exit 3) before reading further if none was accepted
                         (default 0: off)
  --quiet                for cron: print nothing at all when the run exits 0
  -h, --help             this help

Exit codes: 0 all rows delivered (dry run: all valid); 1 some rows dead-lettered;
2 usage, mapping or input error; 3 stopped by the API: bad token or service id, an outage,
a quota spent beyond --max-wait, the circuit breaker, the canary (resumable); 70 a bug (the API
found a batch too big); 130 interrupted.
`;

export type Program = "import-profiles" | "import-events";

export interface CliOptions {
  readonly input: string;
  readonly map: string | undefined;
  readonly dryRun: boolean;
  readonly sample: number;
  readonly serviceId: string | undefined;
  readonly tokenFile: string | undefined;
  readonly endpoint: string;
  readonly rate: Rate;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly maxWaitMs: number;
  readonly maxErrorRate: number;
  readonly canary: number;
  readonly deadLetter: string | undefined;
  readonly report: string | undefined;
  readonly format: SourceFormat | undefined;
  readonly encoding: string | undefined;
  readonly delimiter: string | undefined;
  readonly maxCellLines: number;
  readonly log: string | undefined;
  readonly logLevel: string;
  readonly quiet: boolean;
  readonly state: string | undefined;
  /** `--state-key`; the run uses `<state>.key` when it is not given. */
  readonly stateKey: string | undefined;
  readonly full: boolean;
  readonly strict: boolean;
  readonly resume: boolean;
  /** import-events: `--batch-wait`, ms. */
  readonly batchWaitMs: number;
  /** import-events: `--keep-events`, ms; undefined: remember every accepted event. */
  readonly keepEventsMs: number | undefined;
}

export type ParsedArgs =
  | { readonly command: "help" }
  | { readonly command: "status"; readonly state: string }
  | { readonly command: "import"; readonly options: CliOptions };

function integer(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} expects a whole number ≥ ${min}; got "${value}"`);
  }
  return n;
}

/** A share above 0 and at most 1, like 0.5. */
function share(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new UsageError(`${flag} expects a share above 0 and at most 1, like 0.5; got "${value}"`);
  }
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `30s`, `10m`, `2h`, `1d`, `500ms` → ms. Throws a UsageError naming the flag otherwise. */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  const ms =
    match === null ? Number.NaN : Number(match[1]) * (DURATION_UNITS[match[2] as string] ?? 0);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${flag} expects a duration like 30s, 10m or 2h; got "${text}"`);
  }
  return Math.round(ms);
}

const FORMATS: readonly string[] = ["csv", "tsv", "ndjson"];
const LEVELS: readonly string[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function unescapeDelimiter(text: string): string {
  return text === "\\t" || text.toLowerCase() === "tab" ? "\t" : text;
}

export function parseCliArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  program: Program = "import-profiles",
): ParsedArgs {
  const events = program === "import-events";
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, events);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const batchWait = values["batch-wait"] as string | undefined;
  const keepEvents = values["keep-events"] as string | undefined;
  if (values.help === true) return { command: "help" };
  if (positionals[0] === "status" && positionals.length === 1) {
    if (values.state === undefined) throw new UsageError("status needs --state FILE");
    return { command: "status", state: values.state };
  }
  if (values["state-key"] !== undefined && values.state === undefined) {
    throw new UsageError("--state-key needs --state FILE");
  }
  if (keepEvents !== undefined && values.state === undefined) {
    throw new UsageError("--keep-events needs --state FILE");
  }
  if ((values.full === true || values.resume === true) && values.state === undefined) {
    throw new UsageError(`${values.full === true ? "--full" : "--resume"} needs --state FILE`);
  }
  if (values.resume === true && values["dry-run"] === true) {
    throw new UsageError(
      "--resume does not go with --dry-run: a dry run sends nothing, so it leaves nothing to resume",
    );
  }
  if (values.resume === true && positionals[0] === "-") {
    throw new UsageError(
      "--resume cannot check standard input against the interrupted run: give a file",
    );
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "missing the input file (a path, or - for stdin)"
        : `expected one input file, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const format = values.format;
  if (format !== undefined && !FORMATS.includes(format)) {
    throw new UsageError(`--format expects csv, tsv or ndjson; got "${format}"`);
  }
  const logLevel = values["log-level"] ?? "info";
  if (!LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level expects one of ${LEVELS.join(", ")}; got "${logLevel}"`);
  }
  const endpoint = values.endpoint ?? env.DFINERY_ENDPOINT ?? DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^/]/.test(endpoint) || !URL.canParse(endpoint)) {
    // URL.canParse: a port beyond 65535 or a bad host is a usage error, not a crash later on.
    throw new UsageError(`--endpoint expects an http(s) URL; got "${endpoint}"`);
  }
  const delimiter =
    values.delimiter === undefined ? undefined : unescapeDelimiter(values.delimiter);
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw new UsageError(`--delimiter expects one character (or "tab"); got "${values.delimiter}"`);
  }
  return {
    command: "import",
    options: {
      input: positionals[0] as string,
      map: values.map,
      dryRun: values["dry-run"] === true,
      sample: integer(values.sample, "--sample", 0, 0),
      maxCellLines: integer(values["max-cell-lines"], "--max-cell-lines", 100, 1),
      serviceId: values["service-id"] ?? env.DFINERY_SERVICE_ID,
      tokenFile: values["token-file"],
      endpoint,
      rate: parseRate(values.rate ?? (events ? "1000000/m" : "10000/m")),
      concurrency: integer(values.concurrency, "--concurrency", events ? EVENT_CONCURRENCY : 32, 1),
      maxAttempts: integer(values["max-attempts"], "--max-attempts", 6, 1),
      maxWaitMs: parseDuration(values["max-wait"] ?? "10m", "--max-wait"),
      maxErrorRate: share(values["max-error-rate"], "--max-error-rate", 0.5),
      canary: integer(values.canary, "--canary", 0, 0),
      deadLetter: values["dead-letter"],
      report: values.report,
      format: format as SourceFormat | undefined,
      encoding: values.encoding,
      delimiter,
      log: values.log,
      logLevel,
      quiet: values.quiet === true,
      state: values.state,
      stateKey: values["state-key"],
      full: values.full === true,
      strict: values.strict === true,
      resume: values.resume === true,
      batchWaitMs: batchWaitOf(batchWait),
      keepEventsMs:
        keepEvents === undefined ? undefined : parseDuration(keepEvents, "--keep-events"),
    },
  };
}

/** The longest --batch-wait: a user's events held longer gain nothing, and hold memory. */
const MAX_BATCH_WAIT_MS = 3_600_000;

function batchWaitOf(text: string | undefined): number {
  const ms = parseDuration(text ?? "250ms", "--batch-wait");
  if (ms > MAX_BATCH_WAIT_MS) throw new UsageError(`--batch-wait is at most 1h; got "${text}"`);
  return ms;
}

/** The flags only import-events takes. */
const EVENT_OPTIONS = {
  "batch-wait": { type: "string" },
  "keep-events": { type: "string" },
} as const;

function parse(argv: readonly string[], events: boolean) {
  const options = { ...OPTIONS, ...(events ? EVENT_OPTIONS : {}) } as const;
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: options as typeof OPTIONS & typeof EVENT_OPTIONS,
  });
}

const OPTIONS = {
  map: { type: "string" },
  "dry-run": { type: "boolean" },
  sample: { type: "string" },
  "service-id": { type: "string" },
  "token-file": { type: "string" },
  endpoint: { type: "string" },
  rate: { type: "string" },
  concurrency: { type: "string" },
  "max-attempts": { type: "string" },
  "max-wait": { type: "string" },
  "max-error-rate": { type: "string" },
  "max-cell-lines": { type: "string" },
  canary: { type: "string" },
  "dead-letter": { type: "string" },
  report: { type: "string" },
  format: { type: "string" },
  encoding: { type: "string" },
  delimiter: { type: "string" },
  log: { type: "string" },
  "log-level": { type: "string" },
  quiet: { type: "boolean" },
  state: { type: "string" },
  "state-key": { type: "string" },
  full: { type: "boolean" },
  strict: { type: "boolean" },
  resume: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
