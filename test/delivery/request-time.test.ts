import { describe, expect, it } from "vitest";
import { profileRequestBody, requestDatetime } from "../../src/delivery/request-time.js";

describe("requestDatetime", () => {
  it("writes what Date#toISOString writes, a fraction of a millisecond cut", () => {
    const instants = [
      0,
      1_733_389_000_123,
      1_733_389_000_123.9,
      951_782_400_000, // 2000-02-29
      -1, // 1969-12-31T23:59:59.999Z
      Date.UTC(100, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of instants) expect(requestDatetime(ms)).toBe(new Date(ms).toISOString());
  });

  it("writes instants outside the years 0100-9999 as Date does (a clock a test injects)", () => {
    for (const ms of [Date.UTC(100, 0, 1) - 1, Date.UTC(10_000, 0, 1), -62_198_755_200_000]) {
      expect(requestDatetime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("gives each millisecond its own time, asked in any order and again", () => {
    const at = 1_733_389_000_000;
    const seen = [at, at, at + 1, at + 0.5, at - 1, at + 1, at + 86_400_000].map(requestDatetime);
    expect(seen).toEqual(
      [at, at, at + 1, at, at - 1, at + 1, at + 86_400_000].map((ms) => new Date(ms).toISOString()),
    );
  });
});

describe("profileRequestBody", () => {
  it("is the update with its request time, in the order the API's examples write them", () => {
    const update = { identity: { external_id: "u1" }, user_properties: { df_name: "A" } };
    const body = profileRequestBody(update, Date.UTC(2024, 2, 1, 9));
    expect(JSON.stringify(body)).toBe(
      '{"identity":{"external_id":"u1"},"user_properties":{"df_name":"A"},"request_datetime":"2024-03-01T09:00:00.000Z"}',
    );
  });
});
