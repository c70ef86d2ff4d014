import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeadLetterFile } from "../../src/sinks/dead-letter.js";

const dir = () => mkdtempSync(join(tmpdir(), "dl-"));
const record = (line: number) => ({
  line,
  row: { email: `u${line}@x` },
  payload: null,
  error: { stage: "mapping" as const, code: "INVALID_VALUE", message: "bad", field: "points" },
  attempts: 0,
  at: "2026-01-01T00:00:00.000Z",
  format: "csv" as const,
});

describe("DeadLetterFile", () => {
  it("is not created when nothing failed", () => {
    const path = join(dir(), "x.dead-letter.ndjson");
    const file = new DeadLetterFile(path);
    file.open();
    file.close();
    expect(existsSync(path)).toBe(false);
  });

  it("writes one JSON line per failed row, readable before close, with mode 0600", () => {
    const path = join(dir(), "x.dead-letter.ndjson");
    const file = new DeadLetterFile(path);
    file.write(record(2));
    file.write(record(7));
    // Written synchronously: a kill -9 now would leave both lines.
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l).line)).toEqual([2, 7]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(file.count).toBe(2);
    file.close();
  });

  it("replaces a file an earlier run left at the same path", () => {
    const d = dir();
    const stale = join(d, "stale.ndjson");
    writeFileSync(stale, "old\n", { mode: 0o644 });
    new DeadLetterFile(stale).open(); // before any row is read, not at the first failure
    expect(existsSync(stale)).toBe(false);

    const replaced = join(d, "replaced.ndjson");
    writeFileSync(replaced, "old\nold\n", { mode: 0o644 });
    const file = new DeadLetterFile(replaced);
    file.open();
    file.write(record(3));
    file.close();
    expect(readFileSync(replaced, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    expect(statSync(replaced).mode & 0o777).toBe(0o600);
  });
});

describe("DeadLetterFile failures", () => {
  it("says before any row is read that its folder cannot be written", () => {
    const file = new DeadLetterFile(join(dir(), "missing", "x.ndjson"));
    expect(() => file.open()).toThrow(/cannot write the dead-letter file here \(ENOENT\)/);
    expect(() => new DeadLetterFile(dir()).open()).toThrow(/is a folder/);
  });

  it("refuses a write after close instead of truncating what was written", () => {
    const path = join(dir(), "x.ndjson");
    const file = new DeadLetterFile(path);
    file.write(record(1));
    file.close();
    expect(() => file.write(record(2))).toThrow(/after it was closed/);
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(1);
  });

  it("appends to the file of an interrupted pass and keeps it when nothing fails", () => {
    const path = join(dir(), "x.ndjson");
    writeFileSync(path, `${JSON.stringify(record(1))}\n`);
    const none = new DeadLetterFile(path, true);
    none.open();
    none.close();
    expect(existsSync(path)).toBe(true);
    const more = new DeadLetterFile(path, true);
    more.open();
    more.write(record(5));
    more.close();
    expect(
      readFileSync(path, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).line),
    ).toEqual([1, 5]);
  });
});
