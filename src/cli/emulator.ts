/**
 * `dfinery-import emulator` (`dfinery-emulator`): the emulator's flags (declared in flags.ts) →
 * its options, every problem at once; starts it, prints `listening on URL` as its first line, and
 * runs until SIGINT, SIGTERM or SIGHUP; then closes the server, flushes the log and returns the exit code.
 *
 * Exit codes: 0 stopped cleanly, 1 could not start (port taken, log not writable), 2 a bad flag.
 */

import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { type Catalog, parseCatalog } from "../emulator/catalog.js";
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
} from "../emulator/options.js";
import { startEmulator } from "../emulator/server.js";
import type { EmulatorFlags } from "./args.js";
import type { Outputs } from "./io.js";
import { SIGNALS } from "./signal-relay.js";

type Parsed = { readonly options: EmulatorInit } | { readonly problems: readonly string[] };

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

export async function runEmulator(
  flags: EmulatorFlags,
  io: Outputs,
  name: string,
): Promise<number> {
  const parsed = await toOptions(flags);
  if ("problems" in parsed) {
    for (const problem of parsed.problems) io.stderr.write(`${name}: ${problem}\n`);
    io.stderr.write(`Try ${name} --help.\n`);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  for (const signal of SIGNALS) io.signals?.once(signal, onSignal);
  try {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator(parsed.options);
    } catch (error) {
      io.stderr.write(`${name}: cannot start: ${(error as Error).message}\n`);
      return 1;
    }
    io.stdout.write(`listening on ${emulator.url}\n`);
    if (!stop.signal.aborted) await once(stop.signal, "abort");
    await emulator.close();
    const { requests, accepted } = emulator.store.stats();
    io.stdout.write(`stopped after ${requests} requests, ${accepted} accepted\n`);
    return 0;
  } finally {
    for (const signal of SIGNALS) io.signals?.off(signal, onSignal);
  }
}

/** Flag strings → emulator options, with every problem at once. */
async function toOptions(values: EmulatorFlags): Promise<Parsed> {
  // Every flag but --catalog and --log has a default (flags.ts): a missing one reads as "".
  const given = (flag: string): string => values[flag] ?? "";
  const problems: string[] = [];
  const readLimit = (flag: string, text: string, fallback: RateLimit): RateLimit | null => {
    try {
      return text === "none" ? null : parseLimit(text);
    } catch (error) {
      problems.push(`${flag}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const limit = readLimit("--limit", given("limit"), DEFAULT_LIMIT);
  const eventLimit = readLimit("--event-limit", given("event-limit"), DEFAULT_EVENT_LIMIT);
  const identityLimit = readLimit(
    "--identity-limit",
    given("identity-limit"),
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
    port: toNumber(given("port")),
    host: given("host"),
    token: given("token"),
    serviceId: given("service-id"),
    catalog,
    limit,
    eventLimit,
    identityLimit,
    resetUnit: given("reset-unit") as EmulatorOptions["resetUnit"],
    headerStyle: given("header-style") as EmulatorOptions["headerStyle"],
    overLimit: given("over-limit") as EmulatorOptions["overLimit"],
    failRate: toNumber(given("fail-rate")),
    failAs: given("fail-as") as EmulatorOptions["failAs"],
    resetRate: toNumber(given("reset-rate")),
    latencyMs: toNumber(given("latency-ms")),
    jitterMs: toNumber(given("jitter-ms")),
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
