import { writeThrough } from "../util/write-through.js";

/** What a secret is replaced with in every text the importer writes. */
export const REDACTED = "[REDACTED]";

/** Shorter secrets are not looked for: replacing a 1–3 character string would garble every text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes secrets (the access token, the password of an endpoint URL) from text the importer
 * writes: stdout, stderr, the log, the report, the state file, the dead-letter file. An API
 * message that echoes the token is redacted like anything else. Secrets are looked for as they
 * are, JSON-escaped and URL-encoded.
 */
export class Redactor {
  #forms: string[] = [];

  constructor(secrets: readonly (string | undefined)[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [JSON.stringify(secret).slice(1, -1), secret, encodeURIComponent(secret)];
    for (const form of forms) if (!this.#forms.includes(form)) this.#forms.push(form);
    this.#forms.sort((a, b) => b.length - a.length); // a longer form before a part of it
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
    return out;
  }

  /** A JSON value with every secret redacted from its strings (keys included). */
  value<T>(value: T): T {
    if (this.#forms.length === 0) return value;
    const text = JSON.stringify(value);
    const redacted = this.redact(text);
    return redacted === text ? value : (JSON.parse(redacted) as T);
  }

  /** The stream, whose text writes are redacted (everything else is the stream's own). */
  stream<S extends { write(...args: never[]): unknown }>(stream: S): S {
    return writeThrough(stream, (text) => this.redact(text));
  }
}

/** The secrets of an endpoint URL: its `user:password` and its password, as written and decoded. */
export function endpointSecrets(endpoint: string | undefined): string[] {
  if (endpoint === undefined) return [];
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return [];
  }
  if (url.username === "" && url.password === "") return [];
  const secrets = [`${url.username}:${url.password}`, url.password];
  try {
    secrets.push(decodeURIComponent(url.password));
  } catch {
    // a malformed escape: the written form is enough
  }
  return secrets;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why sending to this endpoint exposes the token, or null: plain http to another machine. */
export function plainHttpWarning(endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" || LOOPBACK.test(url.hostname)) return null;
  return `--endpoint ${url.protocol}//${url.host} is plain http to another machine: the access token and the profiles travel unencrypted (use https)`;
}

/**
 * A value's shape without what could name a person: Latin letters become `a`/`A`, other letters
 * `x`, digits `9`; punctuation, spaces and symbols stay. `lee@@example.com` → `aaa@@aaaaaaa.aaa`,
 * `010-1234-567` → `999-9999-999`: what is wrong with a value still shows, not whose it is.
 */
export function shapeOf(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return text
    .replace(/[a-z]/g, "a")
    .replace(/[A-Z]/g, "A")
    .replace(/\p{N}/gu, "9")
    .replace(/[^\P{L}aA]/gu, "x");
}

/**
 * A report as the state file keeps it (operations.md: the state file holds no raw emails or phone
 * numbers): the failing columns' example values as their shapes.
 */
export function reportForState<
  R extends { readonly failingColumns?: readonly { readonly example: unknown }[] },
>(report: R): R {
  if (report.failingColumns === undefined) return report;
  return {
    ...report,
    failingColumns: report.failingColumns.map((f) =>
      f.example === undefined ? f : { ...f, example: shapeOf(f.example) },
    ),
  };
}
