import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeadLetterFile } from "../../src/sinks/dead-letter.js";
import { Redactor } from "../../src/sinks/redact.js";

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

  it("leaves a file an earlier run left until the first row is read, then replaces it", () => {
    const d = dir();
    const stale = join(d, "stale.ndjson");
    const old = '{"line":2,"row":"old"}\n';
    writeFileSync(stale, old, { mode: 0o644 });
    const early = new DeadLetterFile(stale);
    early.open(); // before any row is read: a run that fails now keeps the earlier failures
    expect(readFileSync(stale, "utf8")).toBe(old);
    early.start(); // the first row is read
    expect(existsSync(stale)).toBe(false);

    const replaced = join(d, "replaced.ndjson");
    writeFileSync(replaced, old.repeat(2), { mode: 0o644 });
    const file = new DeadLetterFile(replaced);
    file.open();
    file.write(record(3));
    file.close();
    expect(readFileSync(replaced, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    expect(statSync(replaced).mode & 0o777).toBe(0o600);
  });
});

describe("DeadLetterFile secrets", () => {
  it("redacts the API's message but never the row or payload a replay sends", () => {
    const path = join(dir(), "x.dead-letter.ndjson");
    const redactor = new Redactor(["0101"]); // an endpoint password that also occurs in a memo
    const file = new DeadLetterFile(path, false, undefined, (text) => redactor.redact(text));
    const payload = {
      identity: { external_id: "u1" },
      user_properties: { memo: "call 0101-2345" },
    };
    file.write({
      ...record(2),
      row: { id: "u1", memo: "call 0101-2345" },
      payload,
      error: { stage: "api", code: "40001", message: "bad auth u:0101 for memo" },
    });
    file.close();
    const written = JSON.parse(readFileSync(path, "utf8"));
    expect(written.row).toEqual({ id: "u1", memo: "call 0101-2345" });
    expect(written.payload).toEqual(payload);
    expect(written.error.message).toBe("bad auth u:[REDACTED] for memo");
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

describe("DeadLetterFile links and modes", () => {
  it("never appends through a symbolic link, and leaves the link's target as it was", () => {
    const d = dir();
    const target = join(d, "elsewhere.txt");
    writeFileSync(target, "not yours\n", { mode: 0o644 });
    const path = join(d, "x.ndjson");
    symlinkSync(target, path);
    const resumed = new DeadLetterFile(path, true);
    expect(() => resumed.open()).toThrow(/is a symbolic link/);
    expect(() => resumed.write(record(1))).toThrow(/is a symbolic link/);
    expect(readFileSync(target, "utf8")).toBe("not yours\n");
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it("appends to the file of an interrupted pass without changing its mode", () => {
    const path = join(dir(), "x.ndjson");
    writeFileSync(path, `${JSON.stringify(record(1))}\n`, { mode: 0o640 });
    const file = new DeadLetterFile(path, true);
    file.open();
    file.write(record(2));
    file.close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it("refuses a path that is not a regular file", () => {
    const d = dir();
    const fifo = join(d, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(() => new DeadLetterFile(fifo).open()).toThrow(/is not a regular file/);
  });
});

describe("DeadLetterFile on a full disk", () => {
  /** Writes `room` bytes in all, then fails with ENOSPC, as a full disk does. */
  function fullAfter(room: number) {
    let left = room;
    return {
      writeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
        if (left === 0)
          throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
        const n = writeSync(fd, buffer, offset, Math.min(length, left));
        left -= n;
        return n;
      },
    };
  }

  it("stops with a clear error, keeps the file whole and counts only what was written", () => {
    const path = join(dir(), "x.ndjson");
    const one = `${JSON.stringify(record(1))}\n`;
    const file = new DeadLetterFile(path, false, fullAfter(one.length + 20)); // room for 1.x records
    file.open();
    file.write(record(1));
    expect(() => file.write(record(2))).toThrow(
      expect.objectContaining({
        code: "E_OUTPUT",
        message: `${path}: cannot write the dead-letter file (ENOSPC)`,
      }),
    );
    file.close();
    expect(file.count).toBe(1);
    expect(readFileSync(path, "utf8")).toBe(one); // no half record
  });

  it("a resumed run moves a record cut short to <file>.damaged before appending", () => {
    const path = join(dir(), "x.ndjson");
    const whole = `${JSON.stringify(record(1))}\n`;
    const cut = JSON.stringify(record(2)).slice(0, 40);
    writeFileSync(path, whole + cut);
    const file = new DeadLetterFile(path, true);
    file.open();
    expect(readFileSync(path, "utf8")).toBe(whole + cut); // untouched until the first row
    file.write(record(3));
    file.close();
    expect(readFileSync(`${path}.damaged`, "utf8")).toBe(`${cut}\n`);
    expect(
      readFileSync(path, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).line),
    ).toEqual([1, 3]);
  });

  it("a row nested too deeply for JSON is dead-lettered with what can be kept", () => {
    const path = join(dir(), "x.ndjson");
    let deep: unknown = "end";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const file = new DeadLetterFile(path);
    file.write({ ...record(4), row: { id: "u4", deep } });
    file.close();
    const [kept] = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(kept).toMatchObject({ line: 4, row: null, error: record(4).error, format: "csv" });
    expect(kept.unwritable).toMatch(/could not be written as JSON \(RangeError/);
    expect(file.count).toBe(1);
  });

  it("a failing cell's value nested too deeply is left out too; the cell's error stays", () => {
    const path = join(dir(), "x.ndjson");
    let deep: unknown = "end";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const cell = { ...record(5).error, message: "a list is not a String", column: "deep" };
    const file = new DeadLetterFile(path, false, undefined, (text) => text.replaceAll("u5", "***"));
    file.write({
      ...record(5),
      row: { id: "u5", deep },
      errors: [
        { ...cell, value: deep },
        { ...cell, value: "u5" },
      ],
    });
    file.close();
    const [kept] = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(kept).toMatchObject({ line: 5, row: null, error: record(5).error });
    // The value JSON can write is kept (and redacted, as any record's errors are).
    expect(kept.errors).toEqual([
      { ...cell, value: null },
      { ...cell, value: "***" },
    ]);
    expect(kept.unwritable).toMatch(
      /^the row \(and a failing cell's value\) could not be written as JSON \(RangeError/,
    );
  });
});
