import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One temporary folder a run, TMPDIR for the workers and the processes tests start, removed at
    // the end: a run leaves nothing in /tmp, whatever its tests remove.
    globalSetup: ["test/global-setup.ts"],
    // Hang guards, not budgets: a loaded 2-core machine (load 18) takes seconds to start a node
    // process. Above test/cli/helpers.ts HANG_MS (60 s), so a stuck waitFor names what it awaited.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two cores: timing-sensitive tests (pacing, window boundaries) stay honest when files run one per core.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-results.json" }]],
  },
});
