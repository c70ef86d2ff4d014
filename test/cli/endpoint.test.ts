import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorPerTest, runCli, tempDir, write } from "./helpers.js";
import { hostileServerPerTest } from "./hostile-server.js";
import { ENV, KINDS } from "./kinds.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

/** A run of `kind` over 100 rows against `url`, 4 requests in flight at most. */
function runAgainst(kind: (typeof KINDS)[number], url: string) {
  const dir = tempDir();
  const input = write(dir, kind.file, kind.rows(100));
  const map = write(dir, "m.yaml", kind.mapping);
  const argv = [
    ...[input, "--map", map, "--endpoint", url, "--service-id", "test-service"],
    ...["--dead-letter", join(dir, "dl.ndjson"), "--concurrency", "4", ...kind.confirm],
  ];
  return runCli(argv, ENV, undefined, kind.program);
}

describe.each(KINDS)("$program against an endpoint that is not the API", (kind) => {
  it("stops at once (HTTP 404), naming the path it posted to", async () => {
    const e = await emulator(kind.catalog === undefined ? {} : { catalog: kind.catalog });
    const result = await runAgainst(kind, `${e.url}/wrong-base`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `the endpoint answered HTTP 404 to POST ${kind.path}: check --endpoint`,
    );
    expect(e.store.stats().requests).toBeLessThanOrEqual(4);
  });

  it.each([301, 302, 307, 308])(
    "stops at once on a redirect (HTTP %i): not followed, not retried",
    async (status) => {
      const server = await hostile((_n, _req, res) => {
        res.writeHead(status, { location: "https://elsewhere.example/v1" });
        res.end();
      });
      const result = await runAgainst(kind, server.url);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `the endpoint answered HTTP ${status} (a redirect, not followed) to POST ${kind.path}: check --endpoint`,
      );
      expect(server.requests.length).toBeLessThanOrEqual(4); // the first requests in flight, once each
    },
  );
});
