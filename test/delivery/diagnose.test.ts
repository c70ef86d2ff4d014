import { afterEach, describe, expect, it } from "vitest";
import type { ProfileUpdate } from "../../src/api/dfinery.js";
import { ApiClient } from "../../src/delivery/client.js";
import { findRefusedProperty } from "../../src/delivery/diagnose.js";
import { type Emulator, startEmulator } from "../../src/emulator/index.js";

let emulator: Emulator | undefined;
let client: ApiClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
});

const CATALOG = {
  tier: "String",
  points: "Long",
  ltv: "Double",
  joined: "Date",
  tags: "Array of String",
  city: "String",
  vip: "Boolean",
} as const;

const row: ProfileUpdate = {
  identity: { external_id: "u1" },
  user_properties: {
    df_name: "Kim",
    tier: "gold",
    points: 12,
    ltv: 3.5,
    joined: "2024-01-02",
    tags: ["a", "b"],
    city: "Seoul",
    vip: true,
    vip_level: 3,
  },
};

async function diagnose(update: ProfileUpdate, catalog: Record<string, string>) {
  emulator = await startEmulator({ limit: null, catalog: catalog as never });
  client = new ApiClient({
    endpoint: emulator.url,
    serviceId: "test-service",
    accessToken: "test-token",
    connections: 1,
  });
  const c = client;
  const first = await c.send({ ...update, request_datetime: "2024-05-14T06:05:46.363Z" });
  if (first.kind !== "permanent") throw new Error(`expected a refusal, got ${first.kind}`);
  const sent: string[][] = [];
  const result = await findRefusedProperty(
    { update, code: first.code, message: first.message },
    (u) => {
      sent.push(Object.keys(u.user_properties));
      return c.send({ ...u, request_datetime: "2024-05-14T06:05:46.363Z" });
    },
  );
  return { result, sent };
}

describe("findRefusedProperty", () => {
  it("names an unregistered property among nine in at most five requests", async () => {
    const { result, sent } = await diagnose(row, CATALOG);
    expect(result).toEqual({
      kind: "property",
      property: "vip_level",
      message: "VALIDATION_FAILURE: property vip_level is not registered",
      requests: sent.length,
    });
    expect(sent.length).toBeLessThanOrEqual(5);
    // Only the row's own values were sent, never anything else.
    for (const names of sent)
      for (const n of names) expect(Object.keys(row.user_properties)).toContain(n);
  });

  it("names a property registered with another type", async () => {
    const { result } = await diagnose(row, { ...CATALOG, vip_level: "Long", joined: "Datetime" });
    expect(result).toMatchObject({
      kind: "property",
      property: "joined",
      message: "VALIDATION_FAILURE: property joined must be of type Datetime",
    });
  });

  it("names the only property of a row by sending the identity alone", async () => {
    const { result, sent } = await diagnose(
      { identity: { external_id: "u1" }, user_properties: { vip_level: 3 } },
      CATALOG,
    );
    expect(result).toMatchObject({ kind: "property", property: "vip_level", requests: 1 });
    expect(sent).toEqual([[]]);
  });

  it("says so when no single property explains the refusal (a profile over 8 KB)", async () => {
    const big = "x".repeat(5_000);
    const { result } = await diagnose(
      { identity: { external_id: "u1" }, user_properties: { city: big, tier: big } },
      CATALOG,
    );
    expect(result.kind).toBe("unexplained");
    expect(result.message).toMatch(/over the 8192-byte limit/);
  });
});
