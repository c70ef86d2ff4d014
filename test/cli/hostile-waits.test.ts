import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  runCli,
  runFlags,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";
import { answer, type Handler, hostileServerPerTest } from "./hostile-server.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

/**
 * Runs 20 rows against a scripted server with --max-wait 2s and --state. A wait beyond the bound
 * would hang the test (vitest's timeout is the guard); the report says which waits were taken.
 */
async function againstServer(handler: Handler) {
  const server = await hostile(handler);
  const dir = tempDir();
  const input = write(dir, "users.csv", usersCsv(20));
  const map = write(dir, "m.yaml", USERS_MAPPING);
  const flags = (url: string) => [
    input,
    ...["--map", map],
    ...runFlags(dir, url, { rate: "100/s", state: true }),
    ...["--concurrency", "4", "--max-wait", "2s"],
  ];
  const result = await runCli(flags(server.url));
  return { result, dir, flags, report: readJson(join(dir, "report.json")) };
}

const TEN_YEARS_S = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;

describe("every wait is bounded by --max-wait and stops the run cleanly, resumable", () => {
  it.each([
    ["429 for ever, with no reset", 429, {}],
    ["200 + 40401 for ever, with no reset", 200, {}],
    ["a reset ten years ahead", 429, { "X-Rate-Limit-Reset": String(TEN_YEARS_S) }],
    ["a reset of 1e300", 200, { "x-ratelimit-reset": "1e300" }],
    ["Retry-After: 999999", 429, { "retry-after": "999999" }],
  ] as const)("on %s: exit 3 within the bound", async (_name, status, headers) => {
    const run = await againstServer((_n, _req, res) => answer(res, status, "40401", headers));
    expect(run.result.code).toBe(3);
    expect(run.report.rateLimitWaitMs).toBeLessThanOrEqual(2_000); // none beyond --max-wait
    expect(run.report.stoppedBy.reason).toBe("rate-limit");
    expect(run.report.accepted).toBe(0);
    expect(run.report.rows).toBe(run.report.notAttempted);
    expect(run.report.stoppedBy.until).toMatch(/^[+\d]/);
  });

  it("on Retry-After: 999999 with a 503: exit 3 at once, and --resume later delivers every row", async () => {
    const run = await againstServer((n, _req, res) =>
      n < 3 ? answer(res, 503, "50000", { "retry-after": "999999" }) : answer(res, 200, "20000"),
    );
    expect(run.result.code).toBe(3);
    expect(run.report.retries).toBe(0); // at once: the 503's Retry-After was not waited for
    expect(run.report.stoppedBy.message).toMatch(/^the API asked to wait before retrying until /);
    const e = await emulator();
    const resumed = await runCli([...run.flags(e.url), "--resume"]);
    expect(resumed.code).toBe(0);
    expect(e.store.count() + run.report.accepted).toBe(20);
  });

  it("says nothing of MaxListenersExceededWarning while many rows wait to retry", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const server = await hostile((n, _req, res) =>
        n < 40 ? answer(res, 503, "50000") : answer(res, 200, "20000"),
      );
      const dir = tempDir();
      const input = write(dir, "users.csv", usersCsv(30));
      const map = write(dir, "m.yaml", USERS_MAPPING);
      const result = await runCli([
        input,
        ...["--map", map],
        ...runFlags(dir, server.url, { rate: "1000/s" }),
        ...["--concurrency", "16"],
      ]);
      expect(result.code).toBe(0);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on process.nextTick
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
