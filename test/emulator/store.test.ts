import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDENTITIES_PATH, PROFILE_PATH } from "../../src/api/dfinery.js";
import { startEmulator } from "../../src/emulator/index.js";
import { RequestStore } from "../../src/emulator/store.js";
import { DATETIME, post, postIdentity } from "./helpers.js";

const profile = (identity: Record<string, string>, user_properties: Record<string, unknown>) => ({
  body: { identity, user_properties, request_datetime: DATETIME },
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "emulator-store-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the store", () => {
  it("remembers accepted requests with their endpoint and arrival time", async () => {
    const emulator = await startEmulator({ limit: null, now: () => 1_700_000_000_000 });
    await post(emulator.url, profile({ email: "a@example.com" }, { df_name: "Kim" }));
    await postIdentity(emulator.url);
    await post(emulator.url, { token: "wrong" });
    await emulator.close();
    expect(emulator.store.count()).toBe(2);
    expect(emulator.store.list()).toEqual([
      {
        endpoint: PROFILE_PATH,
        identity: { email: "a@example.com" },
        user_properties: { df_name: "Kim" },
        request_datetime: DATETIME,
        receivedAt: 1_700_000_000_000,
      },
      {
        endpoint: IDENTITIES_PATH,
        identity: { external_id: "dfn-user-123" },
        request_datetime: DATETIME,
        receivedAt: 1_700_000_000_000,
      },
    ]);
  });

  it("merges an identity's properties, later requests overwriting keys", async () => {
    const emulator = await startEmulator({ limit: null });
    await post(emulator.url, profile({ external_id: "u1" }, { df_name: "Kim", points: 1 }));
    await post(emulator.url, profile({ external_id: "u2" }, { points: 99 }));
    await post(
      emulator.url,
      profile({ external_id: "u1", email: "k@x.io" }, { points: 2, tier: null }),
    );
    await emulator.close();
    expect(emulator.store.last("external_id", "u1")).toEqual({
      df_name: "Kim",
      points: 2,
      tier: null,
    });
    expect(emulator.store.last("email", "k@x.io")).toEqual({ points: 2, tier: null });
    expect(emulator.store.last("external_id", "nobody")).toBeUndefined();
  });

  it("counts every answer by API code, HTTP_<status> or RESET", () => {
    const store = new RequestStore();
    for (const key of ["20000", "20000", "40001", "HTTP_429", "RESET"]) store.countAnswer(key);
    expect(store.stats()).toEqual({
      requests: 5,
      accepted: 0,
      byCode: { "20000": 2, "40001": 1, HTTP_429: 1, RESET: 1 },
    });
    store.clear();
    expect(store.stats()).toEqual({ requests: 0, accepted: 0, byCode: {} });
  });

  it("keeps counts but not requests when remember is off", async () => {
    const emulator = await startEmulator({ limit: null, remember: false });
    await post(emulator.url);
    await emulator.close();
    expect(emulator.store.count()).toBe(1);
    expect(emulator.store.list()).toEqual([]);
  });
});

describe("the request log", () => {
  it("appends one NDJSON line per accepted request, flushed on close", async () => {
    const logFile = join(dir, "requests.ndjson");
    for (const name of ["first", "second"]) {
      const emulator = await startEmulator({ limit: null, logFile });
      await post(emulator.url, profile({ external_id: name }, { points: 1 }));
      await post(emulator.url, { body: "refused: not JSON" });
      await emulator.close();
    }
    const lines = (await readFile(logFile, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((e) => e.identity.external_id)).toEqual(["first", "second"]);
    expect(entries[0]).toMatchObject({
      endpoint: PROFILE_PATH,
      user_properties: { points: 1 },
      request_datetime: DATETIME,
      receivedAt: expect.any(Number),
    });
  });

  it("fails to start when the log cannot be opened", async () => {
    const logFile = join(dir, "missing-dir", "requests.ndjson");
    await expect(startEmulator({ logFile })).rejects.toThrow(/ENOENT/);
  });
});
