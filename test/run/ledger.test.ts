import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rowFailure } from "../../src/errors.js";
import { RunLedger } from "../../src/run/ledger.js";
import { deadLetterRecord } from "../../src/sinks/dead-letter.js";
import { oneInput } from "../../src/source/inputs.js";

function ledger(carried = { accepted: 0, deadLettered: 0, unchanged: 0, filtered: 0 }) {
  const dir = mkdtempSync(join(tmpdir(), "ledger-"));
  const deadLetterPath = join(dir, "dl.ndjson");
  const books = new RunLedger(
    {
      input: "in.csv",
      inputs: oneInput("in.csv"),
      deadLetterPath,
      appendDeadLetter: false,
      delivery: { endpoint: "http://127.0.0.1:9", accessToken: "secret-token" },
    },
    {
      ...{ now: () => 1_700_000_000_000, elapsed: () => 0, carried },
      ...{ interrupt: undefined, outputFailure: undefined },
    },
  );
  books.deadLetter.open();
  return { books, deadLetterPath };
}

const at = (line: number) => ({ at: line, line });
const refused = (code: string, message = "no") => rowFailure("api", code, message);
const record = (line: number, code: string, message?: string) =>
  deadLetterRecord(
    { line, row: { id: `u${line}` }, format: "csv" },
    null,
    refused(code, message),
    1,
    0,
  );

describe("the run ledger", () => {
  it("balances a report taken mid-run: rows on their way are not attempted, the first of them named", () => {
    const { books } = ledger();
    books.count.rows = 5;
    books.count.accepted = 1;
    books.deadLettered(at(3), record(3, "40001"), refused("40001"), true);
    books.started(0, at(7));
    books.started(1, at(4));
    books.finished(0);
    const report = books.snapshot();
    expect(report).toMatchObject({ rows: 5, accepted: 1, deadLettered: 1, notAttempted: 3 });
    expect(report.firstNotAttemptedLine).toBe(4);
  });

  it("counts permanent refusals with a code the guide does not list, not transient ones", () => {
    const { books } = ledger();
    books.deadLettered(at(2), record(2, "49999"), refused("49999"), true);
    books.deadLettered(at(3), record(3, "49999"), refused("49999"), true);
    books.deadLettered(at(4), record(4, "50301"), refused("50301"), false);
    books.deadLettered(at(5), record(5, "40001"), refused("40001"), true);
    books.deadLettered(at(6), record(6, "HTTP_400"), refused("HTTP_400"), true);
    expect(books.snapshot().unknownCodes).toEqual({ "49999": 2 });
  });

  it("redacts the token from what it dead-letters, and keeps the first stop's reason", () => {
    const { books, deadLetterPath } = ledger();
    books.deadLettered(at(2), record(2, "40001", "bad secret-token"), refused("40001"), true);
    books.halt("rate-limit", "first", { until: "2026-01-01T00:00:00.000Z" });
    books.halt("interrupt", "second");
    books.explainStop({ property: "x" });
    books.deadLetter.close();
    expect(readFileSync(deadLetterPath, "utf8")).not.toContain("secret-token");
    expect(books.stop.aborted).toBe(true);
    expect(books.snapshot().stoppedBy).toEqual({
      reason: "rate-limit",
      message: "first",
      until: "2026-01-01T00:00:00.000Z",
      property: "x",
    });
  });

  it("starts a resumed run from the counts its interrupted pass left; only new ones lived", () => {
    const { books } = ledger({ accepted: 4, deadLettered: 1, unchanged: 2, filtered: 0 });
    expect(books.snapshot()).toMatchObject({ rows: 7, accepted: 4, deadLettered: 1, unchanged: 2 });
    expect(books.lived).toBe(0);
    books.count.unchanged++;
    expect(books.lived).toBe(1);
  });
});
