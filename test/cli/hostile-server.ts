import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface HostileServer {
  readonly url: string;
  /** Requests received so far (bodies parsed as JSON). */
  readonly requests: unknown[];
  close(): Promise<void>;
}

/** Answers a request: `n` is its 0-based number. Writes the answer itself (or never does). */
export type Handler = (n: number, req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A misbehaving HTTP server of the test's own on 127.0.0.1: each test scripts its answers. Closed
 * after each test, connections and all, so a test that hangs a response cannot outlive its test.
 */
export function hostileServerPerTest(): (handler: Handler) => Promise<HostileServer> {
  let started: HostileServer[] = [];
  afterEach(async () => {
    for (const s of started) await s.close();
    started = [];
  });
  return async (handler) => {
    const requests: unknown[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        const n = requests.length;
        try {
          requests.push(JSON.parse(body));
        } catch {
          requests.push(body);
        }
        handler(n, req, res, body);
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const s: HostileServer = {
      url: `http://127.0.0.1:${port}`,
      requests,
      close: async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      },
    };
    started.push(s);
    return s;
  };
}

/** A JSON answer with the API's body shape. */
export function answer(
  res: ServerResponse,
  status: number,
  code: string,
  headers: Record<string, string> = {},
  message = code === "20000" ? "OK" : "REFUSED",
): void {
  const body = JSON.stringify({ status: code === "20000", code, message });
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}
