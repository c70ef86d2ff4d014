/**
 * How many requests per second the emulator answers on loopback, so it is known not to be the
 * bottleneck of the importer's benchmarks. Two modes: the emulator in this process (client and
 * server share one JS thread) or as a child process (the `dfinery-emulator` command, built).
 *
 *   npm run build && node dist/bench/emulator.js
 */

import { pathToFileURL } from "node:url";
import { Pool } from "undici";
import { PROFILE_PATH } from "../src/api/dfinery.js";
import { startEmulator } from "../src/emulator/index.js";
import { startUnlimitedEmulatorChild } from "./child.js";

export type BenchMode = "in-process" | "child";

export interface EmulatorBenchOptions {
  readonly mode?: BenchMode;
  readonly requests?: number;
  readonly concurrency?: number;
  /** Stops sending after this long, whatever the count. */
  readonly timeoutMs?: number;
}

export interface EmulatorBenchResult {
  readonly mode: BenchMode;
  readonly requests: number;
  readonly concurrency: number;
  readonly accepted: number;
  readonly errors: number;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
}

const TOKEN = "bench-token";
const SERVICE_ID = "bench-service";
const WARM_UP = 500;

export async function benchEmulator(
  options: EmulatorBenchOptions = {},
): Promise<EmulatorBenchResult> {
  const mode = options.mode ?? "child";
  const requests = options.requests ?? 20_000;
  const concurrency = options.concurrency ?? 64;
  const server =
    mode === "child"
      ? await startUnlimitedEmulatorChild(TOKEN, SERVICE_ID)
      : await startInProcess();
  const pool = new Pool(server.url, { connections: concurrency, pipelining: 1 });
  try {
    await fire(pool, WARM_UP, concurrency, Date.now() + 10_000);
    const started = performance.now();
    const counts = await fire(
      pool,
      requests,
      concurrency,
      Date.now() + (options.timeoutMs ?? 60_000),
    );
    const durationMs = performance.now() - started;
    const sent = counts.accepted + counts.errors;
    return {
      mode,
      requests: sent,
      concurrency,
      ...counts,
      durationMs: Math.round(durationMs),
      requestsPerSecond: Math.round((sent / durationMs) * 1000),
    };
  } finally {
    await pool.close();
    await server.close();
  }
}

/** Sends `count` profile requests with `concurrency` in flight; stops early at `deadline`. */
async function fire(pool: Pool, count: number, concurrency: number, deadline: number) {
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const headers = { "content-type": "application/json", access_token: TOKEN };
  const path = `${PROFILE_PATH}?service_id=${SERVICE_ID}`;
  const worker = async (): Promise<void> => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      const body = `{"identity":{"external_id":"user-${i}"},"user_properties":{"df_gender":"Female","points":${i}},"request_datetime":"2024-05-14T06:05:46.363Z"}`;
      try {
        const response = await pool.request({ path, method: "POST", headers, body });
        const text = await response.body.text();
        if (response.statusCode === 200 && text.includes('"20000"')) accepted += 1;
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { accepted, errors };
}

interface Running {
  readonly url: string;
  close(): Promise<unknown>;
}

async function startInProcess(): Promise<Running> {
  const emulator = await startEmulator({
    token: TOKEN,
    serviceId: SERVICE_ID,
    limit: null,
    remember: false,
  });
  return emulator;
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  for (const mode of ["in-process", "child"] as const) {
    const result = await benchEmulator({ mode });
    console.log(
      `emulator (${mode}): ${result.requestsPerSecond} req/s — ${result.requests} requests, ` +
        `${result.concurrency} concurrent, ${result.errors} errors, ${result.durationMs} ms`,
    );
  }
}
