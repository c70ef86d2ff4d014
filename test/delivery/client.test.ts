import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/delivery/client.js";
import { type Emulator, startEmulator } from "../../src/emulator/index.js";

const body = {
  identity: { external_id: "u1" },
  user_properties: { df_name: "Kim" },
  request_datetime: "2024-05-14T06:05:46.363Z",
};

let emulator: Emulator | undefined;
let client: ApiClient | undefined;
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
  client = new ApiClient({
    endpoint: emulator.url,
    serviceId: "test-service",
    accessToken: token,
    connections: 4,
    ...(timeout === undefined ? {} : { responseTimeoutMs: timeout }),
  });
  return { emulator, client };
}

describe("ApiClient", () => {
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

describe("ApiClient against a faulty server", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function faulty(handler: (res: ServerResponse) => void, options: object = {}) {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => handler(res));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    client = new ApiClient({
      endpoint: `http://127.0.0.1:${port}`,
      serviceId: "test-service",
      accessToken: "test-token",
      connections: 2,
      ...options,
    });
    return client;
  }

  /** Fails the test (rather than hang it) when the answer takes longer than `ms`. */
  const within = <T>(ms: number, p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no result in ${ms} ms`)), ms),
      ),
    ]);

  it("ends a request whose body trickles in a byte at a time at its overall deadline", async () => {
    const c = await faulty(
      (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const timer = setInterval(() => res.write(" "), 50); // never idle, never done
        res.on("close", () => clearInterval(timer));
      },
      { deadlineMs: 600 },
    );
    const result = await within(60_000, c.send(body)); // a hang guard: the body never ends
    expect(result).toMatchObject({
      kind: "transient",
      code: "TIMEOUT",
      message: "no whole answer within 0.6 s",
    });
  });

  it("does not read a body over the cap: declared or streamed, it is a failed attempt", async () => {
    const huge = JSON.stringify({
      status: true,
      code: "20000",
      message: "OK",
      data: "x".repeat(1_000_000),
    });
    const declared = await faulty((res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(huge.length),
      });
      res.end(huge);
    });
    expect(await declared.send(body)).toMatchObject({
      kind: "transient",
      code: "BAD_RESPONSE",
      message: "HTTP 200 with a body over 65536 bytes (not an API answer)",
    });
    await declared.close();
    await new Promise((r) => server?.close(r));
    const streamed = await faulty((res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked: no length
      res.end(huge);
    });
    expect(await streamed.send(body)).toMatchObject({ kind: "transient", code: "BAD_RESPONSE" });
  });
});
