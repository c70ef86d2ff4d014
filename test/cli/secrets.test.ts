import { chmodSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, tempDir, USERS_MAPPING, usersCsv, write } from "./helpers.js";

/** A token with the characters JSON escapes, so both of its written forms are looked for. */
const TOKEN = 'tok"en\\s3cret-4711';
const PASSWORD = "pa55word";

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  servers = [];
});

/**
 * An API on 127.0.0.1 that echoes the token it was sent in its messages: row u0 is refused
 * (40001), the others accepted; with `fatal`, every request is refused as a bad token (40201).
 */
async function echoingApi(fatal: boolean): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      const token = String(req.headers.access_token);
      const refused = fatal || body.includes('"u0"');
      const code = fatal ? "40201" : refused ? "40001" : "20000";
      const message = refused ? `token ${token} may not do that` : "OK";
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: !refused, code, message, data: !refused }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://admin:${PASSWORD}@127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every text the run wrote: stdout, stderr, log, report, dead letter, the state file and its WAL. */
function everything(dir: string, out: { stdout: string; stderr: string }): string {
  const files = ["log.ndjson", "report.json", "dl.ndjson", "state.db", "state.db-wal"];
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name)).toString("latin1");
    } catch {
      return "";
    }
  };
  return [out.stdout, out.stderr, ...files.map(read)].join("\n");
}

describe("the access token and the endpoint's password are in no output", () => {
  it("an API message that echoes the token is redacted everywhere it is written", async () => {
    const dir = tempDir();
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const input = write(dir, "users.csv", usersCsv(5));
    const flags = (endpoint: string) => [
      ...["--endpoint", endpoint, "--service-id", "s", "--state", join(dir, "state.db")],
      ...["--dead-letter", join(dir, "dl.ndjson"), "--report", join(dir, "report.json")],
      ...["--log", join(dir, "log.ndjson"), "--log-level", "debug", "--full"],
    ];
    const env = { DFINERY_ACCESS_TOKEN: TOKEN };
    const refused = await runCli([input, "--map", map, ...flags(await echoingApi(false))], env);
    expect(refused.code).toBe(1);
    const [record] = readFileSync(join(dir, "dl.ndjson"), "utf8").trimEnd().split("\n");
    expect(JSON.parse(record as string).error.message).toBe("token [REDACTED] may not do that");
    const first = everything(dir, refused);

    const fatal = await runCli([input, "--map", map, ...flags(await echoingApi(true))], env);
    expect(fatal.code).toBe(3);
    expect(fatal.stderr).toMatch(/refused the access token/);
    const second = everything(dir, fatal);
    for (const text of [first, second]) {
      for (const secret of [TOKEN, JSON.stringify(TOKEN).slice(1, -1), PASSWORD]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});

describe("warnings about how the token is kept and sent", () => {
  it("warns on stderr of a token file other users can read", async () => {
    const dir = tempDir();
    const map = write(dir, "m.yaml", USERS_MAPPING);
    const input = write(dir, "users.csv", usersCsv(2));
    const tokenFile = write(dir, "token", `${TOKEN}\n`);
    chmodSync(tokenFile, 0o644);
    const endpoint = await echoingApi(false);
    const result = await runCli(
      [
        ...[input, "--map", map, "--endpoint", endpoint, "--service-id", "s"],
        ...["--token-file", tokenFile, "--dead-letter", join(dir, "dl.ndjson")],
      ],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `import-profiles: warning: --token-file ${tokenFile} can be read by other users (mode 0644)`,
    );
  });
});
