/**
 * One delivery of an events file in a fresh process, so its peak RSS is its own: `grouped` 1 runs
 * it with --group-by-identity. Prints one JSON line `{events, accepted, requests, ms, maxRssMb}`.
 *
 *   node dist/bench/grouping-child.js <input.ndjson> <emulator url> <grouped 0|1>
 */
import { setProcessSettings } from "../src/cli/process-settings.js";
import { deliver } from "./events.js";

setProcessSettings(); // as the bins do

const [input, url, grouped] = process.argv.slice(2);
if (input === undefined || url === undefined) {
  process.stderr.write("usage: grouping-child.js INPUT URL 0|1\n");
  process.exit(2);
}
const started = performance.now();
const r = await deliver(
  input,
  url,
  { count: 1_000_000_000, windowMs: 60_000 },
  64,
  {},
  grouped === "1",
);
const result = {
  events: r.events,
  accepted: r.accepted,
  requests: r.requests,
  ms: Math.round(performance.now() - started),
  maxRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
