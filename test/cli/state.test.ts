import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  emulatorPerTest,
  readJson,
  readNdjson,
  runCli,
  runFlags,
  spawnCli,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  waitFor,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

function args(dir: string, input: string, url: string, extra: string[] = []): string[] {
  const flags = runFlags(dir, url, { rate: "2000/s", state: true });
  return [input, "--map", join(dir, "m.yaml"), ...flags, ...extra];
}

function setup(rows: number, bad: Set<number> = new Set()) {
  const dir = tempDir();
  write(dir, "m.yaml", USERS_MAPPING);
  const input = write(dir, "users.csv", usersCsv(rows, bad));
  return { dir, input };
}

describe("import-profiles --state", () => {
  it("sends nothing on a second run over an unchanged file", async () => {
    const e = await emulator();
    const { dir, input } = setup(300);
    expect((await runCli(args(dir, input, e.url))).code).toBe(0);
    expect(e.store.count()).toBe(300);
    const second = await runCli(args(dir, input, e.url));
    expect(second.code).toBe(0);
    expect(e.store.stats().requests).toBe(300);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 300,
      unchanged: 300,
      accepted: 0,
    });
    expect(second.stdout).toMatch(/300 unchanged/);
  });

  it("sends exactly the changed rows, whatever the order of the file", async () => {
    const e = await emulator();
    const { dir, input } = setup(500);
    await runCli(args(dir, input, e.url));
    const lines = readFileSync(input, "utf8").trimEnd().split("\n");
    const [header, ...rows] = lines;
    const changed = new Set([7, 123, 250, 499, 42]);
    const edited = rows.map((row, i) =>
      changed.has(i) ? row.replace(/,\d+$/, `,${100_000 + i}`) : row,
    );
    edited.reverse();
    writeFileSync(input, `${[header, ...edited].join("\n")}\n`);
    e.store.clear();
    expect((await runCli(args(dir, input, e.url))).code).toBe(0);
    expect(
      e.store
        .list()
        .map((r) => r.identity.external_id)
        .sort(),
    ).toEqual([...changed].map((i) => `u${i}`).sort());
    expect(readJson(join(dir, "report.json"))).toMatchObject({ accepted: 5, unchanged: 495 });
  });

  it("--full sends every row again", async () => {
    const e = await emulator();
    const { dir, input } = setup(50);
    await runCli(args(dir, input, e.url));
    await runCli(args(dir, input, e.url, ["--full"]));
    expect(e.store.count()).toBe(100);
  });

  it("tries a dead-lettered row again on the next run instead of counting it unchanged", async () => {
    const failing = await emulator({ failRate: 1 });
    const { dir, input } = setup(3);
    expect((await runCli(args(dir, input, failing.url, ["--max-attempts", "1"]))).code).toBe(1);
    const healthy = await emulator();
    expect((await runCli(args(dir, input, healthy.url))).code).toBe(0);
    expect(healthy.store.count()).toBe(3);
  });

  it("with --dry-run counts unchanged rows and writes nothing", async () => {
    const e = await emulator();
    const { dir, input } = setup(20);
    await runCli(args(dir, input, e.url));
    const before = readFileSync(join(dir, "state.db"));
    const dry = await runCli(args(dir, input, e.url, ["--dry-run"]), {});
    expect(dry.code).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      unchanged: 20,
      accepted: 0,
      dryRun: true,
    });
    expect(readFileSync(join(dir, "state.db")).equals(before)).toBe(true);
  });

  it("keeps no raw identity values in the state file", async () => {
    const e = await emulator();
    const dir = tempDir();
    write(
      dir,
      "m.yaml",
      "identity:\n  email: email\n  phone_no: { column: phone, transform: [phone] }\nproperties:\n  df_name: name\n",
    );
    const input = write(
      dir,
      "u.csv",
      "email,phone,name\nsecret.person@example.com,010-9876-5432,Kim\n",
    );
    expect((await runCli(args(dir, input, e.url))).code).toBe(0);
    for (const file of ["state.db", "state.db-wal"]) {
      if (!existsSync(join(dir, file))) continue;
      const bytes = readFileSync(join(dir, file)).toString("latin1");
      expect(bytes).not.toContain("secret.person");
      expect(bytes).not.toContain("9876");
    }
  });

  it("refuses a second run on the same state file while one is running, naming its pid", async () => {
    const slow = await emulator({ latencyMs: 200 });
    const { dir, input } = setup(400);
    const child = spawnCli(
      args(dir, input, slow.url, ["--rate", "20/s"]),
      { DFINERY_ACCESS_TOKEN: TOKEN },
      dir,
    );
    try {
      await waitFor(() => slow.store.stats().requests > 0);
      const second = await runCli(args(dir, input, slow.url));
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/another import is running/);
      expect(second.stderr).toMatch(/pid \d+/);
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
    // The lock of the killed process is taken over.
    const next = await runCli(args(dir, input, slow.url, ["--rate", "2000/s"]));
    expect(next.code).toBe(0);
  });

  it("resumes after kill -9: every row accepted, none lost, re-sent rows within the in-flight bound", async () => {
    const e = await emulator({ latencyMs: 5, jitterMs: 10 });
    const rows = 3_000;
    const bad = new Set([10, 1_500, 2_999]);
    const { dir, input } = setup(rows, bad);
    const concurrency = 8;
    const child = spawnCli(
      args(dir, input, e.url, ["--rate", "1000/s", "--concurrency", String(concurrency)]),
      { DFINERY_ACCESS_TOKEN: TOKEN },
      dir,
    );
    await waitFor(() => e.store.count() >= 1_000);
    child.kill("SIGKILL");
    await child.exited;
    const sentBefore = e.store.count();
    expect(sentBefore).toBeLessThan(rows - bad.size);

    const resumed = await runCli(
      args(dir, input, e.url, ["--resume", "--concurrency", String(concurrency)]),
    );
    expect(resumed.code).toBe(1); // the three bad rows are dead-lettered
    const report = readJson(join(dir, "report.json"));
    expect(report).toMatchObject({
      rows,
      accepted: rows - bad.size,
      deadLettered: bad.size,
      notAttempted: 0,
    });
    const ids = new Set(e.store.list().map((r) => r.identity.external_id));
    expect(ids.size).toBe(rows - bad.size);
    const duplicates = e.store.count() - ids.size;
    expect(duplicates).toBeLessThanOrEqual(concurrency);
    expect(readNdjson(join(dir, "dl.ndjson")).map((r) => r.line)).toEqual([12, 1_502, 3_001]);
  });

  it("resumes a run stopped by a refused token once the token is fixed", async () => {
    const e = await emulator({ latencyMs: 2 });
    const { dir, input } = setup(100);
    const wrong = await runCli(args(dir, input, e.url, ["--concurrency", "2"]), {
      DFINERY_ACCESS_TOKEN: "wrong",
    });
    expect(wrong.code).toBe(3);
    const fixed = await runCli(args(dir, input, e.url, ["--resume"]));
    expect(fixed.code).toBe(0);
    expect(e.store.count()).toBe(100);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 100, accepted: 100 });
  });

  it("refuses to resume a changed file or mapping, or when nothing was interrupted", async () => {
    const e = await emulator();
    const { dir, input } = setup(10);
    const nothing = await runCli(args(dir, input, e.url, ["--resume"]));
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to resume/);

    await runCli(args(dir, input, e.url, ["--concurrency", "1"]), {
      DFINERY_ACCESS_TOKEN: "wrong",
    });
    writeFileSync(input, usersCsv(11));
    const changedFile = await runCli(args(dir, input, e.url, ["--resume"]));
    expect(changedFile.code).toBe(2);
    expect(changedFile.stderr).toMatch(/input changed/);

    writeFileSync(input, usersCsv(10));
    write(dir, "m.yaml", `${USERS_MAPPING}  plan: { value: gold }\n`);
    const changedMapping = await runCli(args(dir, input, e.url, ["--resume"]));
    expect(changedMapping.code).toBe(2);
    expect(changedMapping.stderr).toMatch(/mapping changed/);

    const full = await runCli(args(dir, input, e.url, ["--resume", "--full"]));
    expect(full.code).toBe(0);
  });

  it("shows the lock, the last runs and the identities with `status`", async () => {
    const e = await emulator();
    const { dir, input } = setup(5);
    await runCli(args(dir, input, e.url));
    const status = await runCli(["status", "--state", join(dir, "state.db")], {});
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/5/);
    expect(status.stdout).toMatch(/finished/);
    expect(status.stdout).toContain(input);
  });

  it("replays a dead-letter file with --state, whatever the order of its records", async () => {
    const failing = await emulator({ catalog: { other: "String" } });
    const dir = tempDir();
    write(dir, "m.yaml", USERS_MAPPING);
    // Mapping failures (lines 3, 5) are written at once, API failures when their answers come:
    // the dead-letter file is not in line order.
    const input = write(dir, "users.csv", usersCsv(6, new Set([1, 3])));
    expect((await runCli(args(dir, input, failing.url))).code).toBe(1);
    const deadLetter = join(dir, "dl.ndjson");
    const lines = readNdjson(deadLetter).map((r) => r.line);
    expect([...lines].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    const fixed = write(dir, "fixed.yaml", USERS_MAPPING.replace("type: Long", "type: String"));
    const healthy = await emulator();
    const argv = args(dir, deadLetter, healthy.url);
    argv[argv.indexOf("--map") + 1] = fixed;
    argv[argv.indexOf("--dead-letter") + 1] = join(dir, "replay.dead-letter.ndjson");
    const replay = await runCli(argv);
    expect(replay.code).toBe(0);
    expect(healthy.store.count()).toBe(6);
  });

  it("starts a new run's dead-letter file anew, so a resumed run never carries an older run's rows", async () => {
    const failing = await emulator({ failRate: 1 });
    const { dir, input } = setup(5);
    expect((await runCli(args(dir, input, failing.url, ["--max-attempts", "1"]))).code).toBe(1);
    expect(readNdjson(join(dir, "dl.ndjson"))).toHaveLength(5);
    // The next night: the file of the night before is gone as soon as the run starts.
    const slow = await emulator({ latencyMs: 200 });
    const child = spawnCli(
      args(dir, input, slow.url, ["--rate", "5/s"]),
      { DFINERY_ACCESS_TOKEN: TOKEN },
      dir,
    );
    await waitFor(() => slow.store.stats().requests > 0);
    child.kill("SIGKILL");
    await child.exited;
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
    const resumed = await runCli(args(dir, input, slow.url, ["--resume"]));
    expect(resumed.code).toBe(0);
    expect(existsSync(join(dir, "dl.ndjson"))).toBe(false);
  });

  it("refuses --resume with --dry-run", async () => {
    const { dir, input } = setup(2);
    const result = await runCli(
      args(dir, input, "http://127.0.0.1:9", ["--dry-run", "--resume"]),
      {},
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing to resume/);
  });
});
