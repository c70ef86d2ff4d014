import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDENTITIES_PATH } from "../../src/api/dfinery.js";
import { type Emulator, startEmulator } from "../../src/emulator/index.js";
import { isJsonContentType } from "../../src/emulator/validate.js";
import {
  DATETIME,
  expectValidationFailure as expectRefused,
  PROFILE_BODY,
  post,
  postIdentity,
  withProperties,
} from "./helpers.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ limit: null });
});
afterAll(() => emulator.close());

const OK = { status: true, code: "20000", message: "OK", data: true };
const BAD_REQUEST = { status: false, code: "40000", message: "Bad Request" };

/** Sends a profile body and expects HTTP 200 + 40001 with a message matching `why`. */
async function expectValidationFailure(body: unknown, why: RegExp, path?: string): Promise<void> {
  const reply = await post(emulator.url, path === undefined ? { body } : { body, path });
  expectRefused(reply, why);
}

describe("accepted requests", () => {
  it("accepts the documented profile request with 20000", async () => {
    const reply = await post(emulator.url);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(reply.body).toEqual(OK);
  });

  it("accepts an identities request of identity and request_datetime", async () => {
    const reply = await postIdentity(emulator.url);
    expect(reply.body).toEqual(OK);
  });

  it("accepts a content type with a charset parameter", async () => {
    const reply = await post(emulator.url, { contentType: "application/json; charset=utf-8" });
    expect(reply.body).toEqual(OK);
  });

  it("accepts any property name and scalar or array values without a catalog", async () => {
    const body = withProperties({
      points: 1,
      tier: "gold",
      tags: ["a"],
      scores: [1.5],
      gone: null,
    });
    expect((await post(emulator.url, { body })).body).toEqual(OK);
  });
});

describe("HTTP 400 Bad Request", () => {
  it.each([
    ["a body that is not JSON", { body: "{not json" }],
    ["a JSON body that is not an object", { body: "[1,2]" }],
    ["an empty body", { body: "" }],
    ["a text/plain content type", { contentType: "text/plain" }],
    ["a form content type", { contentType: "application/x-www-form-urlencoded" }],
    ["no content type", { contentType: null }],
  ])("answers 400 for %s", async (_, options) => {
    const reply = await post(emulator.url, options);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(BAD_REQUEST);
  });

  it("answers 400 before looking at the token", async () => {
    const reply = await post(emulator.url, { body: "nope", token: "wrong" });
    expect(reply.status).toBe(400);
  });

  it("recognises application/json with or without parameters only", () => {
    expect(isJsonContentType("Application/JSON ; charset=UTF-8")).toBe(true);
    expect(isJsonContentType("application/jsonx")).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe("credentials", () => {
  it.each([
    ["missing", null],
    ["wrong", "not-the-token"],
  ])("answers 200 + 40201 INVALID_TOKEN for a %s access_token", async (_, token) => {
    const reply = await post(emulator.url, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: false, code: "40201", message: "INVALID_TOKEN" });
  });

  it.each([
    ["missing", null],
    ["wrong", "other-service"],
  ])("answers 200 + 40101 INVALID_SERVICE_ID for a %s service_id", async (_, serviceId) => {
    const reply = await post(emulator.url, { serviceId });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: false, code: "40101", message: "INVALID_SERVICE_ID" });
  });

  it("checks the token before the service id", async () => {
    const reply = await post(emulator.url, { token: "wrong", serviceId: "wrong" });
    expect(reply.body.code).toBe("40201");
  });

  it("checks the service id before the body", async () => {
    const reply = await post(emulator.url, { serviceId: "wrong", body: { identity: {} } });
    expect(reply.body.code).toBe("40101");
  });
});

describe("40001 VALIDATION_FAILURE body rules", () => {
  const { identity, user_properties, request_datetime } = PROFILE_BODY;

  it.each([
    ["identity is missing", { user_properties, request_datetime }, /identity is required/],
    [
      "identity is not an object",
      { ...PROFILE_BODY, identity: "u1" },
      /identity must be an object/,
    ],
    ["identity is empty", { ...PROFILE_BODY, identity: {} }, /identity needs a non-empty/],
    [
      "every identity value is empty",
      { ...PROFILE_BODY, identity: { email: "" } },
      /identity needs a non-empty/,
    ],
    [
      "an identity value is not a string",
      { ...PROFILE_BODY, identity: { external_id: "u1", phone_no: 821012345678 } },
      /identity\.phone_no must be a string/,
    ],
    [
      "an identity field is unknown",
      { ...PROFILE_BODY, identity: { user_id: "u1" } },
      /identity\.user_id is not an identity field/,
    ],
    ["user_properties is missing", { identity, request_datetime }, /user_properties is required/],
    [
      "user_properties is not an object",
      withProperties(["df_gender"]),
      /user_properties must be an object/,
    ],
    [
      "a property value is a nested object",
      withProperties({ address: { city: "Seoul" } }),
      /property address must be a string, number/,
    ],
    [
      "a property array mixes strings and numbers",
      withProperties({ tags: ["a", 1] }),
      /property tags must be/,
    ],
    ["request_datetime is missing", { identity, user_properties }, /request_datetime is required/],
    [
      "request_datetime is not UTC",
      { ...PROFILE_BODY, request_datetime: "2024-05-14T06:05:46+09:00" },
      /request_datetime must be an ISO-8601 UTC datetime/,
    ],
    [
      "request_datetime names no real instant",
      { ...PROFILE_BODY, request_datetime: "2023-02-29T00:00:00Z" },
      /request_datetime must be/,
    ],
    [
      "request_datetime is a number",
      { ...PROFILE_BODY, request_datetime: 1715666746363 },
      /request_datetime must be/,
    ],
    ["the body has an unknown field", { ...PROFILE_BODY, extra: 1 }, /unknown field extra/],
  ])("refuses a profile whose %s", async (_, body, why) => {
    await expectValidationFailure(body, why);
  });

  it("refuses user_properties on the identities endpoint", async () => {
    await expectValidationFailure(PROFILE_BODY, /unknown field user_properties/, IDENTITIES_PATH);
  });

  it("refuses an identities request without identity", async () => {
    await expectValidationFailure(
      { request_datetime: DATETIME },
      /identity is required/,
      IDENTITIES_PATH,
    );
  });

  it("checks the types of standard properties even without a catalog", async () => {
    await expectValidationFailure(
      withProperties({ df_push_optin: "Y" }),
      /df_push_optin .*Boolean/,
    );
    await expectValidationFailure(withProperties({ df_birth: "1999/01/01" }), /df_birth .*Date/);
  });
});

describe("the 8 KB limit on user_properties", () => {
  // {"note":"…"} is 11 bytes around the value.
  const sized = (bytes: number) => withProperties({ note: "x".repeat(bytes - 11) });

  it("accepts user_properties of exactly 8192 bytes", async () => {
    expect((await post(emulator.url, { body: sized(8192) })).body).toEqual(OK);
  });

  it("refuses user_properties of 8193 bytes", async () => {
    await expectValidationFailure(sized(8193), /user_properties is 8193 bytes, over the 8192-byte/);
  });

  it("counts UTF-8 bytes, not characters", async () => {
    // 3000 Hangul syllables: 3000 characters, 9000 bytes.
    await expectValidationFailure(withProperties({ note: "가".repeat(3000) }), /9011 bytes/);
  });
});
