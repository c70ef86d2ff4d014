import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IDENTITIES_PATH, PROFILE_PATH } from "../../src/api/dfinery.js";
import { EVENTS_PATH } from "../../src/api/events.js";
import { IDENTITIES_DELETE_PATH } from "../../src/api/identities.js";
import { EmulatorCore, type IncomingRequest } from "../../src/emulator/core.js";
import { type Emulator, type EmulatorInit, startEmulator } from "../../src/emulator/index.js";
import { resolveOptions } from "../../src/emulator/options.js";
import { RequestStore } from "../../src/emulator/store.js";
import {
  DATETIME,
  erase,
  expectValidationFailure as expectRefused,
  link,
  post,
  readLog,
  scripted,
} from "./helpers.js";

const OK = { status: true, code: "20000", message: "OK", data: true };
const KIM = { external_id: "u1", email: "kim@x.io", phone_no: "821012345678" };

const running: Emulator[] = [];
async function start(init: EmulatorInit = {}): Promise<Emulator> {
  const emulator = await startEmulator({ limit: null, now: () => 7, ...init });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const profile = (e: Emulator, identity: unknown, user_properties: unknown) =>
  post(e.url, { body: { identity, user_properties, request_datetime: DATETIME } });
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const login = (n: number) => ({
  event_log_id: uuid(n),
  event_name: "df_login",
  event_datetime: DATETIME,
  event_properties: {},
});
const events = (e: Emulator, identity: unknown, ...ns: number[]) =>
  post(e.url, { path: EVENTS_PATH, body: { common: { identity }, events: ns.map(login) } });

describe("POST /api/v1/identities", () => {
  it("links the identifiers of one person into one unified profile", async () => {
    const e = await start();
    expect((await link(e.url, KIM)).body).toEqual(OK);
    expect((await link(e.url, { email: "kim@x.io", kakao_user_id: "k1" })).body).toEqual(OK);
    expect(e.store.profiles()).toEqual([{ ...KIM, kakao_user_id: "k1" }]);
    expect(e.store.list()).toEqual([
      { endpoint: IDENTITIES_PATH, identity: KIM, request_datetime: DATETIME, receivedAt: 7 },
      {
        endpoint: IDENTITIES_PATH,
        identity: { email: "kim@x.io", kakao_user_id: "k1" },
        request_datetime: DATETIME,
        receivedAt: 7,
      },
    ]);
  });

  it("accepts an identity of one identifier: a profile with nothing to link yet", async () => {
    const e = await start();
    expect((await link(e.url, { line_user_id: "L1" })).body).toEqual(OK);
    expect(e.store.profiles()).toEqual([{ line_user_id: "L1" }]);
  });

  it("merges the properties sent under any linked identifier", async () => {
    const e = await start();
    await link(e.url, KIM);
    await profile(e, { email: "kim@x.io" }, { df_name: "Kim", points: 1 });
    await profile(e, { phone_no: "821012345678" }, { points: 2 });
    await profile(e, { external_id: "u2" }, { points: 99 });
    expect(e.store.last("external_id", "u1")).toEqual({ df_name: "Kim", points: 2 });
  });

  it.each([
    [{ identity: {}, request_datetime: DATETIME }, /identity needs a non-empty external_id/],
    [{ identity: { user_id: "u" }, request_datetime: DATETIME }, /identity.user_id is not an/],
    [{ identity: { phone_no: 821012345678 }, request_datetime: DATETIME }, /phone_no must be a/],
    [{ identity: "u1", request_datetime: DATETIME }, /identity must be an object/],
    [{ identity: KIM }, /request_datetime is required/],
    [{ identity: KIM, request_datetime: "2024-05-14 06:05:46" }, /request_datetime must be/],
    [
      { identity: KIM, user_properties: {}, request_datetime: DATETIME },
      /unknown field user_properties; \/api\/v1\/identities(\/delete)? takes identity, request_datetime/,
    ],
  ])("refuses an invalid body with 40001 and links nothing (%#)", async (body, why) => {
    const e = await start();
    expectRefused(await post(e.url, { path: IDENTITIES_PATH, body }), why);
    expectRefused(await post(e.url, { path: IDENTITIES_DELETE_PATH, body }), why);
    expect(e.store.profiles()).toEqual([]);
    expect(e.store.stats()).toEqual({ requests: 2, accepted: 0, byCode: { "40001": 2 } });
  });

  it("refuses an identity whose identifiers are on two profiles, changing nothing", async () => {
    const e = await start();
    await link(e.url, { external_id: "u1" });
    await link(e.url, { email: "lee@x.io" });
    const reply = await link(e.url, { external_id: "u1", email: "lee@x.io" });
    expectRefused(reply, /identity names two profiles: external_id u1 is on one, email lee@x.io/);
    expect(e.store.profiles()).toEqual([{ external_id: "u1" }, { email: "lee@x.io" }]);
    expect(e.store.count()).toBe(2);
  });

  it("answers the token and service id checks as the profile endpoint does", async () => {
    const e = await start();
    expect((await link(e.url, KIM, { token: "wrong" })).body.code).toBe("40201");
    expect((await erase(e.url, KIM, { serviceId: "other" })).body.code).toBe("40101");
    expect((await link(e.url, KIM, { contentType: "text/plain" })).status).toBe(400);
    expect(e.store.profiles()).toEqual([]);
  });
});

describe("POST /api/v1/identities/delete", () => {
  it("removes the profile, its profile and identities requests and its events", async () => {
    const e = await start();
    await link(e.url, KIM);
    await profile(e, { email: "kim@x.io" }, { points: 1 });
    await events(e, { phone_no: "821012345678" }, 1, 2);
    await events(e, { external_id: "u1" }, 3);
    await link(e.url, { external_id: "u2" });
    await profile(e, { external_id: "u2" }, { points: 5 });
    await events(e, { external_id: "u2" }, 4);

    expect((await erase(e.url, { external_id: "u1" })).body).toEqual(OK);

    expect(e.store.profiles()).toEqual([{ external_id: "u2" }]);
    expect(e.store.profileOf("email", "kim@x.io")).toBeUndefined();
    expect(e.store.last("email", "kim@x.io")).toBeUndefined();
    expect(e.store.events().map((stored) => stored.event.event_log_id)).toEqual([uuid(4)]);
    expect(e.store.list().map((r) => [r.endpoint, r.identity])).toEqual([
      [IDENTITIES_PATH, { external_id: "u2" }],
      [PROFILE_PATH, { external_id: "u2" }],
      [IDENTITIES_DELETE_PATH, { external_id: "u1" }],
    ]);
    expect(e.store.last("external_id", "u2")).toEqual({ points: 5 });
  });

  it("forgets the deleted events' ids: the same event sent again is no duplicate", async () => {
    const e = await start();
    await events(e, { external_id: "u1" }, 1);
    await erase(e.url, { external_id: "u1" });
    await events(e, { external_id: "u1" }, 1);
    expect(e.store.events()).toHaveLength(1);
    expect(e.store.duplicateEvents()).toBe(0);
  });

  it("erases what was sent under the identity's identifiers when no profile links them", async () => {
    const e = await start();
    await profile(e, { external_id: "u1" }, { points: 1 });
    await events(e, { email: "kim@x.io" }, 1);
    await events(e, { external_id: "u3" }, 2);
    expect((await erase(e.url, { external_id: "u1", email: "kim@x.io" })).body).toEqual(OK);
    expect(e.store.last("external_id", "u1")).toBeUndefined();
    expect(e.store.events().map((stored) => stored.identity)).toEqual([{ external_id: "u3" }]);
  });

  it("answers 20000 for someone unknown, and for a delete sent twice (idempotent)", async () => {
    const e = await start();
    await link(e.url, { external_id: "u2" });
    expect((await erase(e.url, { external_id: "nobody" })).body).toEqual(OK);
    await link(e.url, KIM);
    expect((await erase(e.url, KIM)).body).toEqual(OK);
    expect((await erase(e.url, KIM)).body).toEqual(OK);
    expect(e.store.profiles()).toEqual([{ external_id: "u2" }]);
    expect(e.store.stats()).toEqual({ requests: 5, accepted: 5, byCode: { "20000": 5 } });
  });

  it("refuses an identity whose identifiers are on two profiles, removing nothing", async () => {
    const e = await start();
    await link(e.url, { external_id: "u1" });
    await link(e.url, { email: "lee@x.io" });
    await events(e, { external_id: "u1" }, 1);
    expectRefused(await erase(e.url, { external_id: "u1", email: "lee@x.io" }), /two profiles/);
    expect(e.store.profiles()).toHaveLength(2);
    expect(e.store.events()).toHaveLength(1);
  });
});

describe("the identities API's rate limit", () => {
  const T0 = Date.UTC(2024, 4, 14, 6, 5, 0); // a whole minute

  it("allows 10,000 requests a minute by default; the 10,001st waits for the next minute", () => {
    let now = T0;
    const store = new RequestStore({ remember: false });
    const core = new EmulatorCore(resolveOptions({ now: () => now }), store);
    const request = (path: string): IncomingRequest => ({
      method: "POST",
      url: `${path}?service_id=test-service`,
      contentType: "application/json",
      token: "test-token",
      body: JSON.stringify({ identity: { external_id: "u1" }, request_datetime: DATETIME }),
    });
    const status = (path: string) => {
      const outcome = core.decide(request(path));
      if (outcome.kind !== "answer") throw new Error("reset");
      return [outcome.answer.status, outcome.rate?.limit, outcome.rate?.remaining];
    };
    for (let i = 0; i < 5_000; i += 1) {
      status(IDENTITIES_PATH);
      status(IDENTITIES_DELETE_PATH);
    }
    expect(store.stats().byCode).toEqual({ "20000": 10_000 });
    now = T0 + 59_999;
    expect(status(IDENTITIES_PATH)).toEqual([429, 10_000, 0]);
    expect(status(IDENTITIES_DELETE_PATH)).toEqual([429, 10_000, 0]);
    expect(status(PROFILE_PATH)[0]).toBe(200);
    now = T0 + 60_000;
    expect(status(IDENTITIES_PATH)).toEqual([200, 10_000, 9_999]);
  });

  it("counts both endpoints in one window of their own, apart from the profile limit", async () => {
    let now = T0;
    const e = await start({
      now: () => now,
      limit: { count: 1, windowMs: 60_000 },
      identityLimit: { count: 2, windowMs: 60_000 },
    });
    const first = await link(e.url, KIM);
    expect(first.headers["x-rate-limit-limit"]).toBe("1m");
    expect(first.headers["x-rate-limit-remaining"]).toBe("1");
    expect((await erase(e.url, KIM)).headers["x-rate-limit-remaining"]).toBe("0");
    const over = await link(e.url, KIM);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ status: false, code: "40401", message: "Too Many Requests" });
    expect((await erase(e.url, KIM)).status).toBe(429);
    expect((await post(e.url)).body).toEqual(OK); // the profile window is untouched
    expect(e.store.profiles()).toEqual([]);

    now = T0 + 60_000;
    const next = await link(e.url, KIM);
    expect(next.body).toEqual(OK);
    expect(next.headers["x-rate-limit-reset"]).toBe(String((T0 + 120_000) / 1000));
    expect(e.store.profiles()).toEqual([KIM]);
  });
});

describe("faults on the identities endpoints", () => {
  it("applies neither a link nor a delete answered with a reset or a server error", async () => {
    // reset band [0, 0.1), fail band [0.1, 0.6): HTTP 500 below 0.35, 50000 above; then no fault
    const e = await start({
      failRate: 0.5,
      resetRate: 0.1,
      random: scripted(0.7, 0.05, 0.2, 0.5, 0.05, 0.2, 0.5),
    });
    expect((await link(e.url, KIM)).body).toEqual(OK);
    await expect(link(e.url, { external_id: "u9" })).rejects.toThrow();
    expect((await link(e.url, { external_id: "u9" })).status).toBe(500);
    expect((await link(e.url, { external_id: "u9" })).body.code).toBe("50000");
    await expect(erase(e.url, KIM)).rejects.toThrow();
    expect((await erase(e.url, KIM)).status).toBe(500);
    expect((await erase(e.url, KIM)).body.code).toBe("50000");
    expect(e.store.profiles()).toEqual([KIM]);
    expect(e.store.stats().byCode).toEqual({ "20000": 1, RESET: 2, HTTP_500: 2, "50000": 2 });
  });
});

describe("the request log", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-identities-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes one line per accepted link and delete, and keeps them after the delete", async () => {
    const logFile = join(dir, "identities.ndjson");
    const e = await start({ logFile });
    await link(e.url, KIM);
    await link(e.url, {});
    await erase(e.url, { email: "kim@x.io" });
    await e.close();
    expect(await readLog(logFile)).toEqual([
      { endpoint: IDENTITIES_PATH, identity: KIM, request_datetime: DATETIME, receivedAt: 7 },
      {
        endpoint: IDENTITIES_DELETE_PATH,
        identity: { email: "kim@x.io" },
        request_datetime: DATETIME,
        receivedAt: 7,
      },
    ]);
  });
});
