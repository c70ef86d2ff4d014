import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers.js";

describe("npm run demo", () => {
  it("imports both samples into the emulator and shows a nightly run sending nothing", async () => {
    const cwd = tempDir();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "dist/src/cli/demo.js")],
      { cwd },
    );
    expect(stdout).toContain("the emulator accepted 7 profiles");
    expect(stdout).toContain("the emulator accepted 4 profiles");
    expect(stdout).toContain(
      'line 6: INVALID_VALUE: column "SMS수신동의": "모름" is not a Boolean',
    );
    expect(stdout).toContain("requests sent by the second run: 0");
    // The second --state run's own summary (it exits 0, so --quiet would have hidden it).
    expect(stdout).toContain("0 accepted, 7 unchanged, 3 dead-lettered, 0 not attempted");
    expect(stdout).toContain("3 of the dead-lettered rows are still failing");
    expect(existsSync(join(cwd, "demo-out", "crm-cp949.report.json"))).toBe(true);
  });
});
