import { readFile } from "node:fs/promises";
import { request } from "undici";
import { expect } from "vitest";
import { IDENTITIES_PATH, PROFILE_PATH } from "../../src/api/dfinery.js";
import { IDENTITIES_DELETE_PATH } from "../../src/api/identities.js";

export const TOKEN = "test-token";
export const SERVICE_ID = "test-service";
export const DATETIME = "2024-05-14T06:05:46.363Z";

export const PROFILE_BODY = {
  identity: { external_id: "dfn-user-123" },
  user_properties: { df_gender: "Female" },
  request_datetime: DATETIME,
};

export interface PostOptions {
  readonly path?: string;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  /** null leaves the header out. */
  readonly token?: string | null;
  /** null leaves the query parameter out. */
  readonly serviceId?: string | null;
  /** null leaves the header out. */
  readonly contentType?: string | null;
  readonly method?: "POST" | "GET" | "PUT";
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  // biome-ignore lint/suspicious/noExplicitAny: test replies are read field by field
  readonly body: any;
}

/** Sends one request to the emulator and reads the whole answer. */
export async function post(url: string, options: PostOptions = {}): Promise<Reply> {
  const path = options.path ?? PROFILE_PATH;
  const serviceId = options.serviceId === undefined ? SERVICE_ID : options.serviceId;
  const query = serviceId === null ? "" : `?service_id=${encodeURIComponent(serviceId)}`;
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.access_token = token;
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  const raw = options.body === undefined ? PROFILE_BODY : options.body;
  const method = options.method ?? "POST";
  const response = await request(`${url}${path}${query}`, {
    method,
    headers,
    ...(method === "GET" ? {} : { body: typeof raw === "string" ? raw : JSON.stringify(raw) }),
  });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === "string") flat[name] = value;
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, headers: flat, body };
}

export const postIdentity = (url: string, options: PostOptions = {}): Promise<Reply> =>
  post(url, {
    path: IDENTITIES_PATH,
    body: { identity: PROFILE_BODY.identity, request_datetime: DATETIME },
    ...options,
  });

/** HTTP 200 + 40001 VALIDATION_FAILURE whose message matches `why`. */
export function expectValidationFailure(reply: Reply, why: RegExp): void {
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ status: false, code: "40001" });
  expect(reply.body.message).toMatch(/^VALIDATION_FAILURE: /);
  expect(reply.body.message).toMatch(why);
}

/** The lines of an NDJSON log, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: log lines are checked field by field
export async function readLog(file: string): Promise<any[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

/** Links the identifiers of `identity` (`POST /api/v1/identities`). */
export const link = (url: string, identity: unknown, options: PostOptions = {}): Promise<Reply> =>
  post(url, { path: IDENTITIES_PATH, body: { identity, request_datetime: DATETIME }, ...options });

/** Deletes the person `identity` names (`POST /api/v1/identities/delete`). */
export const erase = (url: string, identity: unknown, options: PostOptions = {}): Promise<Reply> =>
  post(url, {
    path: IDENTITIES_DELETE_PATH,
    body: { identity, request_datetime: DATETIME },
    ...options,
  });

/** A profile body with these properties. */
export const withProperties = (user_properties: unknown): unknown => ({
  ...PROFILE_BODY,
  user_properties,
});

/** A random source that returns these values in turn, then repeats the last one. */
export function scripted(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] ?? 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { seededRandom as seeded } from "../../bench/seeded-random.js";
