import { afterEach, describe, expect, it } from "vitest";
import { ProfileClient } from "../../src/delivery/client.js";
import { type Emulator, startEmulator } from "../../src/emulator/index.js";

const body = {
  identity: { external_id: "u1" },
  user_properties: { df_name: "Kim" },
  request_datetime: "2024-05-14T06:05:46.363Z",
};

let emulator: Emulator | undefined;
let client: ProfileClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  client = undefined;
  emulator = undefined;
});

async function setup(
  init: Parameters<typeof startEmulator>[0],
  token = "test-token",
  timeout?: number,
) {
  emulator = await startEmulator(init);
  client = new ProfileClient({
    endpoint: emulator.url,
    serviceId: "test-service",
    accessToken: token,
    connections: 4,
    ...(timeout === undefined ? {} : { responseTimeoutMs: timeout }),
  });
  return { emulator, client };
}

describe("ProfileClient", () => {
  it("posts the profile with its token and service id and reads the window headers", async () => {
    const { emulator, client } = await setup({ limit: { count: 100, windowMs: 60_000 } });
    const result = await client.send(body);
    expect(result.kind).toBe("accepted");
    expect(result.kind === "accepted" && result.rate.remaining).toBe(99);
    expect(result.kind === "accepted" && result.rate.periodMs).toBe(60_000);
    expect(emulator.store.last("external_id", "u1")).toMatchObject({ df_name: "Kim" });
  });

  it("says which credential the API refused", async () => {
    const { client } = await setup({}, "wrong-token");
    const result = await client.send(body);
    expect(result).toMatchObject({ kind: "fatal", code: "40201" });
  });

  it("turns a connection reset into a transient NETWORK failure", async () => {
    const { client } = await setup({ resetRate: 1 });
    const result = await client.send(body);
    expect(result).toMatchObject({ kind: "transient", code: "NETWORK" });
  });

  it("turns a slow answer into a transient TIMEOUT that never shows the token", async () => {
    const { client } = await setup({ latencyMs: 2_000 }, "test-token", 200);
    const result = await client.send(body);
    expect(result).toMatchObject({ kind: "transient", code: "TIMEOUT" });
    expect(JSON.stringify(result)).not.toContain("test-token");
  });
});
