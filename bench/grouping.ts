/**
 * `--group-by-identity` (issue 18): the same events delivered to an emulator without limits, each
 * pass in a fresh process: the user-sorted file as it is, and the time-ordered interleaved file
 * (event i is user i % users) grouped by identity. Targets: events per request ≥ 0.95 × the
 * sorted file's, total time ≤ 2 × the sorted file's, peak RSS < 200 MB.
 */
import { fileURLToPath } from "node:url";
import { runChildJson, startEmulatorChild } from "./child.js";
import { writeEvents } from "./events.js";

export interface GroupingPass {
  events: number;
  accepted: number;
  requests: number;
  ms: number;
  maxRssMb: number;
}

export interface GroupingResult {
  sorted: GroupingPass;
  grouped: GroupingPass;
  /** Events per request, grouped / sorted. */
  perRequestRatio: number;
  /** Total time, grouped / sorted. */
  timeRatio: number;
}

const TOKEN = "bench-token";
const SERVICE = "bench-service";

export async function benchGrouping(events: number, users: number): Promise<GroupingResult> {
  const sortedFile = writeEvents(events, users, true);
  const interleavedFile = writeEvents(events, users, false);
  const emulator = await startEmulatorChild([
    ...["--limit", "none", "--event-limit", "none", "--token", TOKEN, "--service-id", SERVICE],
  ]);
  const child = fileURLToPath(new URL("./grouping-child.js", import.meta.url));
  try {
    const sorted = await runChildJson<GroupingPass>(child, [sortedFile, emulator.url, "0"]);
    const grouped = await runChildJson<GroupingPass>(child, [interleavedFile, emulator.url, "1"]);
    const perRequest = (p: GroupingPass) => p.accepted / p.requests;
    return {
      sorted,
      grouped,
      perRequestRatio: Number((perRequest(grouped) / perRequest(sorted)).toFixed(3)),
      timeRatio: Number((grouped.ms / sorted.ms).toFixed(2)),
    };
  } finally {
    await emulator.close();
  }
}
