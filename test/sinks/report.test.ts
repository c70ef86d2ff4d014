import { describe, expect, it } from "vitest";
import { formatSummary, type Report } from "../../src/sinks/report.js";

const base: Report = {
  rows: 1_200,
  blank: 0,
  accepted: 1_000,
  deadLettered: 150,
  unchanged: 50,
  filtered: 0,
  notAttempted: 0,
  firstNotAttemptedLine: null,
  retries: 0,
  rateLimited: 0,
  rateLimitWaitMs: 0,
  longestWaitMs: 0,
  unknownCodes: {},
  stillFailing: 0,
  durationMs: 125_000,
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:02:05.000Z",
  input: "users.csv",
  endpoint: "http://127.0.0.1:1",
  dryRun: false,
  deadLetterFile: "users.dead-letter.ndjson",
  stoppedBy: null,
};

describe("formatSummary", () => {
  it("gives every bucket of the totals and where the dead letters are", () => {
    expect(formatSummary(base)).toBe(
      "1,200 rows in 2 min 5 s: 1,000 accepted, 50 unchanged, 150 dead-lettered, 0 not attempted\n" +
        "dead-lettered rows are in users.dead-letter.ndjson\n",
    );
  });

  it("says how long the run waited for the rate limit", () => {
    expect(formatSummary({ ...base, rateLimitWaitMs: 4_200 })).toContain(
      "waited for the rate limit: 4.2 s",
    );
  });

  it("says why a stopped run stopped and from which line rows were not delivered", () => {
    const text = formatSummary({
      ...base,
      notAttempted: 10,
      firstNotAttemptedLine: 1_190,
      stoppedBy: { reason: "fatal", message: "the API refused the access token" },
    });
    expect(text).toContain("stopped (fatal): the API refused the access token");
    expect(text).toContain("rows from line 1190 on were not all delivered");
  });

  it("calls accepted rows valid in a dry run", () => {
    expect(formatSummary({ ...base, dryRun: true, deadLetterFile: null })).toMatch(
      /^dry run: .*1,000 valid/,
    );
  });
});
