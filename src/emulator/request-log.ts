/**
 * `--log FILE`: one NDJSON line per accepted request, appended. The line is the StoredRequest:
 * `{"identity":…,"user_properties":…,"request_datetime":…,"endpoint":…,"receivedAt":<epoch ms>}`
 * (no `user_properties` for the identities and delete endpoints; a delete does not erase the
 * lines before it: the log is append-only);
 * for the events endpoint one line per accepted event, a StoredEvent:
 * `{"endpoint":"/api/v1/events","identity":…,"event":{…},"receivedAt":<epoch ms>}`.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { RequestSink, StoredEvent, StoredRequest } from "./store.js";

export interface RequestLog extends RequestSink {
  /** Flushes and closes the file; rejects with the first write error, if any. */
  close(): Promise<void>;
}

/** Opens (creates or appends to) the log; rejects when the file cannot be opened. */
export async function openRequestLog(path: string): Promise<RequestLog> {
  const stream = createWriteStream(path, { flags: "a" });
  await once(stream, "open");
  let failure: Error | undefined;
  stream.on("error", (error) => {
    failure ??= error;
  });
  return {
    write(request: StoredRequest | StoredEvent): void {
      if (failure === undefined) stream.write(`${JSON.stringify(request)}\n`);
    },
    async close(): Promise<void> {
      if (!stream.destroyed) await new Promise<void>((resolve) => stream.end(resolve));
      if (failure !== undefined) throw failure;
    },
  };
}
