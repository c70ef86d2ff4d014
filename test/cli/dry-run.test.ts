import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  readJson,
  readNdjson,
  runCli,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";
import { KINDS } from "./kinds.js";

describe.each(KINDS)("$program --dry-run", (kind) => {
  const setup = (rows: number, invalid?: ReadonlySet<number>) => {
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(rows, invalid));
    return { dir, input, map: write(dir, "m.yaml", kind.mapping) };
  };
  /** A dry run: no token, no endpoint, no --yes. */
  const dry = (argv: readonly string[]) => runCli(argv, {}, undefined, kind.program);

  it("validates every unit, sends nothing, needs no token, and exits 0 when all are valid", async () => {
    const { dir, input, map } = setup(50);
    const report = join(dir, "report.json");
    const result = await dry([
      ...[input, "--map", map, "--dry-run", "--report", report],
      ...["--dead-letter", join(dir, "dl.ndjson"), "--log", join(dir, "log")],
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`dry run: 50 rows .*50 ${kind.dryWord}`));
    expect(readJson(report)).toMatchObject({
      rows: 50,
      [kind.word]: 50,
      deadLettered: 0,
      dryRun: true,
    });
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });

  it("exits 1 and dead-letters each invalid row with its line, cells and reason", async () => {
    const { dir, input, map } = setup(10, new Set([3, 7]));
    const deadLetter = join(dir, "dl.ndjson");
    const result = await dry([
      ...[input, "--map", map, "--dry-run"],
      ...["--dead-letter", deadLetter, "--log", join(dir, "log")],
    ]);
    expect(result.code).toBe(1);
    const records = readNdjson(deadLetter);
    expect(records.map((r) => r.line)).toEqual([3, 7].map((i) => kind.firstLine + i));
    expect(records[0]).toMatchObject(kind.invalid(3));
    expect(records[1]).toMatchObject(kind.invalid(7));
  });

  it("prints the first N request bodies exactly as they would be sent", async () => {
    const { dir, input, map } = setup(5);
    const result = await dry([
      ...[input, "--map", map, "--dry-run", "--sample", "2"],
      ...["--dead-letter", join(dir, "dl.ndjson"), "--log", join(dir, "log")],
    ]);
    const payloads = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    expect(payloads).toEqual([kind.body(0), kind.body(1)]);
  });
});

describe("import-profiles --dry-run", () => {
  it("rejects a bad mapping before reading the input, naming the file and line, without a stack trace", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(3));
    const map = write(
      dir,
      "m.yaml",
      "identity:\n  external_id: id\npropertes:\n  points: { column: points, type: Long }\n",
    );
    const result = await runCli([input, "--map", map, "--dry-run"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${map}:3`);
    expect(result.stderr).toMatch(/propertes/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names every mapped column missing from the header", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", "ID,email\nu1,a@x.com\n");
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const result = await runCli([input, "--map", map, "--dry-run", "--log", join(dir, "log")], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"id"/);
    expect(result.stderr).toMatch(/"points"/);
  });

  it("reads standard input with --format", async () => {
    const { Readable } = await import("node:stream");
    const dir = tempDir();
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const stdin = Readable.from([Buffer.from(usersCsv(4))]);
    const result = await runCli(
      ["-", "--format", "csv", "--map", map, "--dry-run", "--log", join(dir, "log")],
      {},
      stdin,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4 rows/);
  });

  it("says how to fix a usage mistake", async () => {
    const result = await runCli(["--map", "m.yaml"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing the input file/);
    const noToken = await runCli(["users.csv", "--map", "m.yaml", "--service-id", "s"], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/DFINERY_ACCESS_TOKEN/);
    const help = await runCli(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: dfinery-import profiles <input>.*\n +import-profiles <input>/,
    );
  });
});

describe("import-profiles with an event mapping", () => {
  it("refuses it before reading the input: its properties are an event's", async () => {
    const dir = tempDir();
    const map = write(
      dir,
      "events.yaml",
      "identity: { external_id: id }\nevent: { name: { value: df_login }, datetime: t }\nproperties: {}\n",
    );
    const result = await runCli([join(dir, "missing.csv"), "--map", map, "--dry-run"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("this mapping has an event section: it maps events");
  });
});
