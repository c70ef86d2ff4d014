import { describe, expect, it } from "vitest";
import { type Bin, parseCommandLine } from "../../src/cli/args.js";
import { parseDuration } from "../../src/cli/flag-values.js";

/** The options of an import run of `argv`, as `bin` reads them. */
function parseRun(argv: string[], bin: Bin = "import-profiles") {
  const parsed = parseCommandLine(argv, {}, bin);
  if (parsed.kind !== "import") throw new Error(parsed.kind);
  return parsed.options;
}

const options = (argv: string[]) => parseRun(["users.csv", "--map", "m.yaml", ...argv]);

describe("the first-night flags", () => {
  it("reads --max-wait as a duration, 10 minutes by default", () => {
    expect(options([]).maxWaitMs).toBe(600_000);
    expect(options(["--max-wait", "2s"]).maxWaitMs).toBe(2_000);
    expect(options(["--max-wait", "1.5h"]).maxWaitMs).toBe(5_400_000);
    expect(parseDuration("250ms", "--max-wait")).toBe(250);
    expect(parseDuration("1d", "--max-wait")).toBe(86_400_000);
    for (const bad of ["10", "ten minutes", "-1s", "5 weeks", ""]) {
      expect(() => options([`--max-wait=${bad}`])).toThrow(
        /--max-wait expects a duration like 30s, 10m or 2h/,
      );
    }
  });

  it("reads --max-error-rate as a share above 0 and at most 1, 0.5 by default", () => {
    expect(options([]).maxErrorRate).toBe(0.5);
    expect(options(["--max-error-rate", "1"]).maxErrorRate).toBe(1);
    for (const bad of ["0", "1.5", "half", ""]) {
      expect(() => options([`--max-error-rate=${bad}`])).toThrow(
        /--max-error-rate expects a share/,
      );
    }
  });

  it("reads --canary (0: off by default) and --strict", () => {
    expect(options([])).toMatchObject({ canary: 0, strict: false, quiet: false });
    expect(options(["--canary", "100", "--strict", "--quiet"])).toMatchObject({
      canary: 100,
      strict: true,
      quiet: true,
    });
    expect(() => options(["--canary=-1"])).toThrow(/--canary expects a whole number/);
  });
});

describe("parseCliArgs --endpoint", () => {
  it("refuses a URL with a port beyond 65535 as a usage error", () => {
    expect(() => parseRun(["in.csv", "--endpoint", "http://127.0.0.1:99999"])).toThrow(
      expect.objectContaining({
        code: "E_USAGE",
        message: '--endpoint expects an http(s) URL; got "http://127.0.0.1:99999"',
      }),
    );
    expect(() => parseRun(["in.csv", "--endpoint", "http://127.0.0.1:65535"])).not.toThrow();
  });
});

describe("import-events' own flags", () => {
  const events = (argv: string[]) =>
    parseRun(["orders.ndjson", "--map", "e.yaml", ...argv], "import-events");

  it("reads --keep-events as a duration, with --state only; import-profiles does not take it", () => {
    expect(events(["--state", "s.db"]).keepEventsMs).toBeUndefined();
    expect(events(["--state", "s.db", "--keep-events", "90d"]).keepEventsMs).toBe(7_776_000_000);
    expect(() => events(["--keep-events", "90d"])).toThrow("--keep-events needs --state FILE");
    expect(() => events(["--state", "s.db", "--keep-events", "90"])).toThrow(
      /--keep-events expects a duration/,
    );
    expect(() => options(["--state", "s.db", "--keep-events", "90d"])).toThrow(
      "profiles takes no --keep-events; events does",
    );
  });

  it("refuses a --keep-events of 0 (every event forgotten at once) or beyond 100 years", () => {
    expect(() => events(["--state", "s.db", "--keep-events", "0d"])).toThrow(
      '--keep-events must be longer than 0 (it would forget every event at once); got "0d"',
    );
    expect(events(["--state", "s.db", "--keep-events", "36500d"]).keepEventsMs).toBe(
      36_500 * 86_400_000,
    );
    for (const huge of ["36501d", "99999999999999999999d"]) {
      expect(() => events(["--state", "s.db", "--keep-events", huge])).toThrow(
        `--keep-events is at most 36500d (to keep every event, leave it out); got "${huge}"`,
      );
    }
  });

  it("reads --batch-wait as a duration up to an hour (a timer beyond ~24 days would overflow)", () => {
    expect(events([]).batchWaitMs).toBe(250);
    expect(events(["--batch-wait", "1h"]).batchWaitMs).toBe(3_600_000);
    expect(() => events(["--batch-wait", "1000d"])).toThrow(
      '--batch-wait is at most 1h; got "1000d"',
    );
  });
});
