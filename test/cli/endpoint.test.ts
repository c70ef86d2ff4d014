import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, runCli, tempDir, write } from "./helpers.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();

describe.each(KINDS)("$program against an endpoint that is not the API", (kind) => {
  it("stops at once (HTTP 404), naming the path it posted to", async () => {
    const e = await emulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });
    const dir = tempDir();
    const input = write(dir, kind.file, kind.rows(100));
    const map = write(dir, "m.yaml", kind.mapping);
    const argv = [
      ...[input, "--map", map, "--endpoint", `${e.url}/wrong-base`, "--service-id", "test-service"],
      ...["--dead-letter", join(dir, "dl.ndjson"), "--concurrency", "4", ...kind.confirm],
    ];
    const result = await runCli(argv, ENV, undefined, kind.program);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `the endpoint answered HTTP 404 to POST ${kind.path}: check --endpoint`,
    );
    expect(e.store.stats().requests).toBeLessThanOrEqual(4);
  });
});
