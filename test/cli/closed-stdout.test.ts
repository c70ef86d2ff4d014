import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import {
  BUILT_CLI,
  childEnv,
  readJson,
  tempDir,
  USERS_MAPPING,
  usersCsv,
  write,
} from "./helpers.js";

describe("a closed stdout (| head -1)", () => {
  it("ends the run quietly: no stack trace, the report written, exit 141 as cat or git in a pipe", async () => {
    const dir = tempDir();
    const input = write(dir, "users.csv", usersCsv(50_000));
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const argv = [input, "--map", map, "--dry-run", "--sample", "50000"];
    const outputs = ["--report", join(dir, "report.json"), "--log", join(dir, "log.ndjson")];
    // 50,000 payloads (~5 MB) are far beyond a pipe's buffer: the importer is still writing when
    // head has read its line and gone.
    const script = 'set -o pipefail; "$@" 2>stderr.txt | head -1';
    const shell = spawn(
      "bash",
      ["-c", script, "bash", process.execPath, BUILT_CLI, ...argv, ...outputs],
      {
        cwd: dir,
        env: childEnv(),
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [out, code] = await Promise.all([
      text(shell.stdout),
      new Promise((r) => shell.on("exit", r)),
    ]);
    expect(JSON.parse(out)).toMatchObject({ identity: { external_id: "u0" } });
    expect(readFileSync(join(dir, "stderr.txt"), "utf8")).toBe("");
    expect(code).toBe(141);
    const report = readJson(join(dir, "report.json"));
    expect(report.stoppedBy).toMatchObject({ reason: "interrupt" });
    expect(report.rows).toBeLessThan(50_000);
    expect(report.rows).toBe(report.accepted + report.deadLettered + report.notAttempted);
  });
});
