import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDENTITIES_DELETE_PATH, IDENTITIES_PATH } from "../../src/api/identities.js";
import { main } from "../../src/cli/main.js";
import { DATETIME, post, withProperties } from "../emulator/helpers.js";

/** Collects what main writes, and lets a test wait for a line. */
function capture() {
  let text = "";
  const waiters: (() => void)[] = [];
  return {
    stream: {
      write(chunk: string) {
        text += chunk;
        for (const wake of waiters.splice(0)) wake();
        return true;
      },
    },
    get text() {
      return text;
    },
    async line(pattern: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        await new Promise<void>((wake) => waiters.push(wake));
      }
    },
  };
}

/** What `dfinery-emulator` is given: the captured streams, no environment, the signals. */
function io(
  stdout: ReturnType<typeof capture>,
  stderr: ReturnType<typeof capture>,
  signals = new EventEmitter(),
) {
  const stream = (c: ReturnType<typeof capture>) =>
    Object.assign(new EventEmitter(), c.stream) as unknown as NodeJS.WritableStream;
  return { stdout: stream(stdout), stderr: stream(stderr), env: {}, signals };
}

/** Runs main until the test calls stop(); gives the url it printed. */
async function run(argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const signals = new EventEmitter();
  const exit = main(argv, io(stdout, stderr, signals), "dfinery-emulator");
  const first = await Promise.race([stdout.line(/^listening on (\S+)\n/), exit]);
  if (typeof first === "number") throw new Error(`main exited ${first}: ${stderr.text}`);
  const url = first[1] as string;
  return {
    url,
    stdout,
    stop: async (signal: "SIGINT" | "SIGTERM" | "SIGHUP" = "SIGTERM") => {
      signals.emit(signal);
      return exit;
    },
  };
}

/** Runs main with flags that must be refused. */
async function refused(argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, io(stdout, stderr), "dfinery-emulator");
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "emulator-main-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("dfinery-emulator", () => {
  it("prints `listening on http://127.0.0.1:PORT` first and stops with 0 on the signal", async () => {
    const emulator = await run(["--port", "0"]);
    expect(emulator.stdout.text).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect((await post(emulator.url)).body.code).toBe("20000");
    expect(await emulator.stop()).toBe(0);
    expect(emulator.stdout.text).toMatch(/\nstopped after 1 requests, 1 accepted\n$/);
  });

  it.each(["SIGINT", "SIGHUP"] as const)("stops with 0 on %s too", async (signal) => {
    const emulator = await run(["--port", "0"]);
    expect(await emulator.stop(signal)).toBe(0);
    expect(emulator.stdout.text).toMatch(/\nstopped after 0 requests, 0 accepted\n$/);
  });

  it("applies the token, service id, limit and over-limit flags", async () => {
    const emulator = await run([
      ...["--port", "0", "--token", "t0k", "--service-id", "svc"],
      ...["--limit", "1/h", "--over-limit", "code40401", "--reset-unit", "ms"],
    ]);
    const first = await post(emulator.url, { token: "t0k", serviceId: "svc" });
    expect(first.body.code).toBe("20000");
    expect(first.headers["x-rate-limit-limit"]).toBe("1H");
    expect(Number(first.headers["x-rate-limit-reset"])).toBeGreaterThan(1e12);
    const second = await post(emulator.url, { token: "t0k", serviceId: "svc" });
    expect(second.status).toBe(200);
    expect(second.body.code).toBe("40401");
    expect(await emulator.stop()).toBe(0);
  });

  it("applies --event-limit to the events endpoint only", async () => {
    const emulator = await run(["--port", "0", "--event-limit", "1/s", "--limit", "5/m"]);
    const events = {
      common: { identity: { external_id: "u" } },
      events: [
        {
          event_log_id: "00000000-0000-4000-8000-000000000001",
          event_name: "df_login",
          event_datetime: "2024-05-14T06:05:46Z",
        },
      ],
    };
    const first = await post(emulator.url, { path: "/api/v1/events", body: events });
    expect(first.body.code).toBe("20000");
    expect(first.headers["x-rate-limit-limit"]).toBe("1s");
    const profile = await post(emulator.url, {});
    expect(profile.headers["x-rate-limit-limit"]).toBe("1m");
    expect(await emulator.stop()).toBe(0);
  });

  it("applies --identity-limit to the identities and delete endpoints, one window", async () => {
    const emulator = await run(["--port", "0", "--identity-limit", "2/h", "--limit", "5/m"]);
    const identity = { identity: { external_id: "u" }, request_datetime: DATETIME };
    const linked = await post(emulator.url, { path: IDENTITIES_PATH, body: identity });
    expect(linked.body.code).toBe("20000");
    expect(linked.headers["x-rate-limit-limit"]).toBe("1H");
    const deleted = await post(emulator.url, { path: IDENTITIES_DELETE_PATH, body: identity });
    expect(deleted.body.code).toBe("20000");
    expect(deleted.headers["x-rate-limit-remaining"]).toBe("0");
    expect((await post(emulator.url, { path: IDENTITIES_PATH, body: identity })).status).toBe(429);
    const profile = await post(emulator.url, {});
    expect(profile.headers["x-rate-limit-limit"]).toBe("1m");
    expect(await emulator.stop()).toBe(0);
    const bad = await refused(["--identity-limit", "many"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--identity-limit: limit "many" is not COUNT/UNIT');
  });

  it("applies --header-style and refuses an unknown one", async () => {
    const emulator = await run(["--port", "0", "--limit", "5/d", "--header-style", "nohyphen"]);
    const reply = await post(emulator.url);
    expect(reply.headers["x-ratelimit-limit"]).toBe("1d");
    expect(reply.headers["x-ratelimit-remaining"]).toBe("4");
    expect(await emulator.stop()).toBe(0);
    const bad = await refused(["--header-style", "dashed"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--header-style: must be hyphen, nohyphen or none");
  });

  it("loads a catalog and writes the log", async () => {
    const catalog = join(dir, "catalog.json");
    const log = join(dir, "main.ndjson");
    await writeFile(catalog, JSON.stringify({ points: "Long" }));
    const emulator = await run([
      "--port",
      "0",
      "--catalog",
      catalog,
      "--log",
      log,
      "--limit",
      "none",
    ]);
    expect((await post(emulator.url, { body: withProperties({ points: 3 }) })).body.code).toBe(
      "20000",
    );
    const wrong = await post(emulator.url, { body: withProperties({ points: "3" }) });
    expect(wrong.body.message).toMatch(/property points must be of type Long/);
    expect(wrong.headers["x-rate-limit-limit"]).toBeUndefined();
    expect(await emulator.stop()).toBe(0);
    expect((await readFile(log, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with a message and no stack trace for an unknown flag", async () => {
    const result = await refused(["--nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "dfinery-emulator: unknown flag --nope\nTry dfinery-emulator --help.\n",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it("exits 2 naming every bad flag value at once", async () => {
    const result = await refused([
      ...["--limit", "10/week", "--fail-rate", "2", "--port", "x"],
      ...["--over-limit", "teapot", "--latency-ms=-5"],
    ]);
    expect(result.code).toBe(2);
    for (const flag of ["--limit", "--fail-rate", "--port", "--over-limit", "--latency-ms"]) {
      expect(result.stderr).toContain(`dfinery-emulator: ${flag}: `);
    }
  });

  it("exits 2 naming a catalog property with an unknown type", async () => {
    const catalog = join(dir, "bad-catalog.json");
    await writeFile(catalog, JSON.stringify({ points: "Integer", tier: "String" }));
    const result = await refused(["--catalog", catalog]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--catalog: ${catalog}: property points has unknown type "Integer"`,
    );
    expect(result.stderr).not.toContain("tier");
  });

  it("exits 2 when the catalog file is missing or not JSON", async () => {
    const notJson = join(dir, "not.json");
    await writeFile(notJson, "{points: Long}");
    expect((await refused(["--catalog", join(dir, "missing.json")])).stderr).toMatch(/ENOENT/);
    expect((await refused(["--catalog", notJson])).code).toBe(2);
  });

  it("prints the usage and exits 0 for --help", async () => {
    const result = await refused(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: dfinery-import emulator \[flags\]\n +dfinery-emulator \[flags\]/,
    );
    expect(result.stdout).toContain("--over-limit");
  });

  it("exits 1 when the port is taken", async () => {
    const first = await run(["--port", "0"]);
    const port = new URL(first.url).port;
    const result = await refused(["--port", port]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot start: .*EADDRINUSE/);
    await first.stop();
  });
});
