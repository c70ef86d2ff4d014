/**
 * `dfinery-emulator`: the command line. Parses flags, starts the emulator, prints
 * `listening on URL` as its first line, and runs until `io.signal` aborts; then closes the server,
 * flushes the log and resolves with the exit code. Never exits the process itself.
 *
 * Exit codes: 0 stopped cleanly (or --help), 1 could not start (port taken, log not writable),
 * 2 bad command line.
 */

import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type Catalog, parseCatalog } from "./catalog.js";
import {
  DEFAULT_EVENT_LIMIT,
  DEFAULT_IDENTITY_LIMIT,
  DEFAULT_LIMIT,
  DEFAULT_OPTIONS,
  type EmulatorInit,
  type EmulatorOptions,
  optionProblems,
  parseLimit,
  type RateLimit,
} from "./options.js";
import { startEmulator } from "./server.js";

export interface MainIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Aborting it stops the emulator; without one, main runs until the process ends. */
  readonly signal?: AbortSignal;
}

const NAME = "dfinery-emulator";
export const DEFAULT_PORT = 8787;

const FLAGS = {
  port: { type: "string", default: String(DEFAULT_PORT) },
  host: { type: "string", default: DEFAULT_OPTIONS.host },
  token: { type: "string", default: DEFAULT_OPTIONS.token },
  "service-id": { type: "string", default: DEFAULT_OPTIONS.serviceId },
  catalog: { type: "string" },
  limit: { type: "string", default: "10000/m" },
  "event-limit": { type: "string", default: "1000000/m" },
  "identity-limit": { type: "string", default: "10000/m" },
  "reset-unit": { type: "string", default: DEFAULT_OPTIONS.resetUnit },
  "header-style": { type: "string", default: DEFAULT_OPTIONS.headerStyle },
  "over-limit": { type: "string", default: DEFAULT_OPTIONS.overLimit },
  "fail-rate": { type: "string", default: "0" },
  "fail-as": { type: "string", default: DEFAULT_OPTIONS.failAs },
  "reset-rate": { type: "string", default: "0" },
  "latency-ms": { type: "string", default: "0" },
  "jitter-ms": { type: "string", default: "0" },
  log: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The flag that sets each option, to name it in messages. */
const FLAG_OF: Readonly<Partial<Record<keyof EmulatorOptions, string>>> = {
  port: "--port",
  host: "--host",
  token: "--token",
  serviceId: "--service-id",
  catalog: "--catalog",
  limit: "--limit",
  eventLimit: "--event-limit",
  identityLimit: "--identity-limit",
  resetUnit: "--reset-unit",
  headerStyle: "--header-style",
  overLimit: "--over-limit",
  failRate: "--fail-rate",
  failAs: "--fail-as",
  resetRate: "--reset-rate",
  latencyMs: "--latency-ms",
  jitterMs: "--jitter-ms",
};

export const USAGE = `Usage: ${NAME} [flags]

A local emulator of the DFINERY Import API (POST /api/v1/user-profile, /api/v1/identities,
/api/v1/identities/delete, /api/v1/events).

  --port N              port to listen on; 0 picks a free one       (default ${DEFAULT_PORT})
  --host HOST           address to listen on                         (default 127.0.0.1)
  --token TOKEN         the accepted access_token header             (default test-token)
  --service-id ID       the accepted service_id query parameter      (default test-service)
  --catalog FILE        JSON object of registered properties, name → type
                        (String, Long, Double, Boolean, Datetime, Date, Array of String|Long|Double),
                        or {"profile": {…}, "events": {"NAME": {"properties": {…}, "items": {…}}}};
                        without it any property (or event) name is accepted
  --limit N/UNIT        requests per token per window, UNIT s, m, h or d; "none" disables
                                                                     (default 10000/m)
  --event-limit N/UNIT  the same for /api/v1/events, counted apart   (default 1000000/m)
  --identity-limit N/UNIT
                        the same for /api/v1/identities and /api/v1/identities/delete,
                        one window for both, counted apart           (default 10000/m)
  --reset-unit s|ms     unit of X-Rate-Limit-Reset                   (default s)
  --header-style STYLE  hyphen (X-Rate-Limit-*), nohyphen (x-ratelimit-*) or none
                                                                     (default hyphen)
  --over-limit FORM     http429 (HTTP 429) or code40401 (HTTP 200, code 40401)
                                                                     (default http429)
  --fail-rate R         share of requests answered with a server error, 0..1 (default 0)
  --fail-as FORM        http500, code50000 or both                   (default both)
  --reset-rate R        share of connections destroyed without an answer, 0..1 (default 0)
  --latency-ms N        delay before every answer                    (default 0)
  --jitter-ms N         extra uniform delay 0..N                     (default 0)
  --log FILE            append one NDJSON line per accepted request (per event for events;
                        a delete's line stays: the log is append-only)
  -h, --help            show this help
`;

type Parsed = { readonly options: EmulatorInit } | { readonly problems: readonly string[] };

export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    values = parseFlags(argv).values;
  } catch (error) {
    return usageError(io, [(error as Error).message]);
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const parsed = await toOptions(values);
  if ("problems" in parsed) return usageError(io, parsed.problems);

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(parsed.options);
  } catch (error) {
    io.stderr.write(`${NAME}: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`listening on ${emulator.url}\n`);
  await stopped(io.signal);
  await emulator.close();
  const { requests, accepted } = emulator.store.stats();
  io.stdout.write(`stopped after ${requests} requests, ${accepted} accepted\n`);
  return 0;
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
}

type FlagValues = ReturnType<typeof parseFlags>["values"];

/** Flag strings → emulator options, with every problem at once. */
async function toOptions(values: FlagValues): Promise<Parsed> {
  const problems: string[] = [];
  const readLimit = (flag: string, text: string, fallback: RateLimit): RateLimit | null => {
    try {
      return text === "none" ? null : parseLimit(text);
    } catch (error) {
      problems.push(`${flag}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const limit = readLimit("--limit", values.limit, DEFAULT_LIMIT);
  const eventLimit = readLimit("--event-limit", values["event-limit"], DEFAULT_EVENT_LIMIT);
  const identityLimit = readLimit(
    "--identity-limit",
    values["identity-limit"],
    DEFAULT_IDENTITY_LIMIT,
  );
  let catalog: Catalog | undefined;
  if (values.catalog !== undefined) {
    const read = await readCatalog(values.catalog);
    if ("problems" in read) problems.push(...read.problems.map((p) => `--catalog: ${p}`));
    else catalog = read.catalog;
  }
  const options: EmulatorOptions = {
    ...DEFAULT_OPTIONS,
    port: toNumber(values.port),
    host: values.host,
    token: values.token,
    serviceId: values["service-id"],
    catalog,
    limit,
    eventLimit,
    identityLimit,
    resetUnit: values["reset-unit"] as EmulatorOptions["resetUnit"],
    headerStyle: values["header-style"] as EmulatorOptions["headerStyle"],
    overLimit: values["over-limit"] as EmulatorOptions["overLimit"],
    failRate: toNumber(values["fail-rate"]),
    failAs: values["fail-as"] as EmulatorOptions["failAs"],
    resetRate: toNumber(values["reset-rate"]),
    latencyMs: toNumber(values["latency-ms"]),
    jitterMs: toNumber(values["jitter-ms"]),
    logFile: values.log,
    // Nobody can read the store of a CLI emulator: keep counts, not requests.
    remember: false,
  };
  for (const { option, message } of optionProblems(options)) {
    if (option !== "catalog") problems.push(`${FLAG_OF[option] ?? option}: ${message}`);
  }
  return problems.length > 0 ? { problems } : { options };
}

/** A number, or NaN for text that is not one (empty text included). */
function toNumber(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

async function readCatalog(
  file: string,
): Promise<{ readonly catalog: Catalog } | { readonly problems: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    return { problems: [`${file}: ${(error as Error).message}`] };
  }
  const parsed = parseCatalog(json);
  return "problems" in parsed ? { problems: parsed.problems.map((p) => `${file}: ${p}`) } : parsed;
}

function usageError(io: MainIo, problems: readonly string[]): number {
  for (const problem of problems) io.stderr.write(`${NAME}: ${problem}\n`);
  io.stderr.write(`Try '${NAME} --help'.\n`);
  return 2;
}

async function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise<void>(() => {});
  if (signal.aborted) return;
  await once(signal, "abort");
}
