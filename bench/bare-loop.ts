/**
 * The yardstick of the delivery benches: a bare undici loop posting `count` bodies to one API
 * path with `concurrency` requests in flight, each answer read whole, as little as a client can do.
 */
import { Pool } from "undici";
import { cpuMicros } from "./child.js";

export interface BareLoopRun {
  readonly seconds: number;
  /** This process's CPU time over the loop, µs. */
  readonly cpuMicros: number;
}

export async function bareLoop(
  url: string,
  path: string,
  token: string,
  concurrency: number,
  count: number,
  body: (i: number) => string,
): Promise<BareLoopRun> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const headers = { "content-type": "application/json", access_token: token };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const response = await pool.request({ method: "POST", path, headers, body: body(next++) });
      await response.body.text();
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const run = { seconds: (performance.now() - started) / 1000, cpuMicros: cpuMicros(cpu) };
  await pool.close();
  return run;
}
