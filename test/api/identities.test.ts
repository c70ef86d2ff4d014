import { describe, expect, it } from "vitest";
import {
  checkIdentityRequest,
  IDENTITIES_DELETE_PATH,
  IDENTITIES_PATH,
  identifiersOf,
  identityRequestProblem,
} from "../../src/api/identities.js";

const DATETIME = "2024-05-14T06:05:46.363Z";

describe("identityRequestProblem", () => {
  it("accepts identity and request_datetime, one identifier being enough", () => {
    const body = { identity: { external_id: "u1" }, request_datetime: DATETIME };
    expect(identityRequestProblem(IDENTITIES_PATH, body)).toBeUndefined();
    expect(checkIdentityRequest(IDENTITIES_DELETE_PATH, body)).toEqual({ ok: true, body });
  });

  it.each([
    [[], "the body must be an object"],
    [{ identity: { email: "a@x.io" } }, "request_datetime is required"],
    [{ identity: { email: "" }, request_datetime: DATETIME }, "identity needs a non-empty"],
    [{ identity: { email: "a@x.io" }, request_datetime: "2024-02-30T00:00:00Z" }, "request_dat"],
    [
      { identity: { email: "a@x.io" }, request_datetime: DATETIME, events: [] },
      "unknown field events; /api/v1/identities/delete takes identity, request_datetime",
    ],
  ])("names the first problem (%#)", (body, problem) => {
    expect(identityRequestProblem(IDENTITIES_DELETE_PATH, body)).toContain(problem);
    expect(checkIdentityRequest(IDENTITIES_DELETE_PATH, body)).toMatchObject({ ok: false });
  });
});

describe("identifiersOf", () => {
  it("lists the non-empty identifiers in the API's field order", () => {
    expect(identifiersOf({ email: "a@x.io", phone_no: "", external_id: "u1" })).toEqual([
      ["external_id", "u1"],
      ["email", "a@x.io"],
    ]);
  });
});
