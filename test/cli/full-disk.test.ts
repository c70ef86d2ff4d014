import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILT_CLI,
  childEnv,
  emulatorPerTest,
  HANG_MS,
  readJson,
  runFlags,
  TOKEN,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

const emulator = emulatorPerTest();

/**
 * Runs the built CLI with its files capped at `kib` KiB (ulimit -f; SIGXFSZ ignored), so a write
 * beyond fails with EFBIG as a write on a full disk fails with ENOSPC. Ends within 30 s.
 */
function runCapped(argv: string[], kib: number, cwd: string) {
  const script = `trap "" XFSZ; ulimit -f ${kib * 2}; exec "$0" "$@"`;
  const child = spawn("sh", ["-c", script, process.execPath, BUILT_CLI, ...argv], {
    cwd,
    env: childEnv({ DFINERY_ACCESS_TOKEN: TOKEN }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("a full disk under the state file", () => {
  it("stops the run cleanly, names the state file, and still writes the summary and report", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(4_000));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const flags = runFlags(dir, e.url, { rate: "100000/s", state: true });
    const withoutLog = flags.slice(0, flags.indexOf("--log"));
    const result = await runCapped([input, "--map", map, ...withoutLog, "--quiet"], 96, dir);
    expect(result.stderr).not.toMatch(/internal error|SqliteError\n\s+at /);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`state file ${join(dir, "state.db")} cannot be (read or )?written`),
    );
    expect(result.stdout).toMatch(/rows in/); // the summary
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy.reason).toBe("output");
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
    expect(report.rows).toBeLessThan(4_000);
  });
});

describe("a full disk under --log", () => {
  it("stops the run cleanly with a named error, and still writes the summary and report", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(2_000));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const flags = runFlags(dir, e.url, { rate: "100000/s" });
    const log = join(dir, "log.ndjson");
    // An earlier run's log, so full that the next log line does not fit.
    write(dir, "log.ndjson", `{"level":30,"time":0,"msg":"${"x".repeat(96 * 1024 - 41)}"}\n`);
    const result = await runCapped([input, "--map", map, ...flags, "--quiet"], 96, dir);
    expect(result.stderr).not.toMatch(/internal error|Error: .*\n\s+at /);
    expect(result.stderr).toContain(`import-profiles: ${log}: cannot write the log (EFBIG)`);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/rows in/);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy).toMatchObject({ reason: "output" });
    expect(report.rows).toBe(
      report.accepted + report.deadLettered + report.unchanged + report.notAttempted,
    );
  });
});

describe("a full disk under --log at the run's last line", () => {
  it("exits 2, not 0, when the log line that ends the run is cut", async () => {
    const e = await emulator();
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(1));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const flags = runFlags(dir, e.url, { rate: "100000/s" });
    // Room for the first log line (import started, ~200 bytes), not for the last (the report, ~1 KB).
    write(dir, "log.ndjson", `{"level":30,"time":0,"msg":"${"x".repeat(96 * 1024 - 600)}"}\n`);
    const result = await runCapped([input, "--map", map, ...flags], 96, dir);
    expect(e.store.stats().requests).toBe(1); // the run itself went through
    expect(result.stderr).toContain(`${join(dir, "log.ndjson")}: cannot write the log (EFBIG)`);
    expect(result.code).toBe(2);
  });
});
