/**
 * The HTTP edge: reads each request, asks the core for the outcome, writes it (after the drawn
 * delay) with the rate-limit headers in the configured spelling, or destroys the connection for a reset fault.
 */

import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RATE_LIMIT_HEADERS } from "../api/dfinery.js";
import { EmulatorCore, type IncomingRequest, type Outcome } from "./core.js";
import { type EmulatorInit, type EmulatorOptions, periodLabel, resolveOptions } from "./options.js";
import { openRequestLog } from "./request-log.js";
import { RequestStore } from "./store.js";

export interface Emulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly store: RequestStore;
  /** Stops listening, drops every connection (idle keep-alive ones too), flushes the log. */
  close(): Promise<void>;
}

/** Bodies above this are answered 413 without being parsed. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Above the 60 s idle timeout of common clients and load balancers. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startEmulator(init: EmulatorInit = {}): Promise<Emulator> {
  const options = resolveOptions(init);
  const log = options.logFile === undefined ? undefined : await openRequestLog(options.logFile);
  const store = new RequestStore({ remember: options.remember, sink: log });
  const core = new EmulatorCore(options, store);
  const write = responder(options);
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    readBody(req, (body) => {
      const outcome = core.decide(incoming(req, body));
      if (outcome.kind === "reset") {
        req.socket.destroy();
      } else if (outcome.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          write(res, outcome);
        }, outcome.delayMs);
        timers.add(timer);
      } else {
        write(res, outcome);
      }
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  try {
    server.listen(options.port, options.host);
    await once(server, "listening");
  } catch (error) {
    await log?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    store,
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await log?.close();
    },
  };
}

function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) done(undefined);
    else if (chunks.length === 1) done((chunks[0] as Buffer).toString("utf8"));
    else done(Buffer.concat(chunks).toString("utf8"));
  });
}

function incoming(req: IncomingMessage, body: string | undefined): IncomingRequest {
  const token = req.headers.access_token;
  return {
    method: req.method,
    url: req.url,
    contentType: req.headers["content-type"],
    token: Array.isArray(token) ? token.join(", ") : token,
    body,
  };
}

type Answered = Extract<Outcome, { kind: "answer" }>;

/** Writes an answer with Content-Type, Content-Length and (with a limit) the rate-limit headers. */
function responder(options: EmulatorOptions): (res: ServerResponse, outcome: Answered) => void {
  const inSeconds = options.resetUnit === "s";
  const names =
    options.headerStyle === "none" ? undefined : RATE_LIMIT_HEADERS[options.headerStyle];
  return (res, { answer, rate }) => {
    if (res.destroyed) return;
    const headers = [
      "Content-Type",
      "application/json",
      "Content-Length",
      String(answer.body.length),
    ];
    if (rate !== undefined && names !== undefined) {
      const reset = inSeconds ? Math.ceil(rate.resetEpochMs / 1000) : rate.resetEpochMs;
      const period = periodLabel(rate.windowMs);
      headers.push(names[0], period, names[1], String(rate.remaining), names[2], String(reset));
    }
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  };
}

/** The host as it goes in a URL: unspecified addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
