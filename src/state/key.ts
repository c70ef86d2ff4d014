import { randomBytes } from "node:crypto";
import { closeSync, constants, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { errnoOf, ImporterError } from "../errors.js";
import { keyedHash } from "../util/hash.js";

/** Bytes of a state key. */
export const STATE_KEY_BYTES = 32;

/** `--state-key` by default: `<state>.key`, beside the state file. */
export function defaultStateKeyPath(statePath: string): string {
  return `${statePath}.key`;
}

/**
 * The secret that keys the state file's hashes, kept in a file of its own so that a copied or
 * backed-up state file alone reveals nothing. Created on first use (32 random bytes, base64url,
 * mode 0600, never through a link); `created` says so.
 */
export function loadStateKey(path: string): { readonly key: Buffer; readonly created: boolean } {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return { key: createKey(path), created: true };
  if (!stat.isFile() || stat.size > 1024) {
    throw usage(path, "is not a state key file (a key file holds one line of 43 characters)");
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw usage(path, `cannot be read (${errnoOf(error)})`);
  }
  const key = Buffer.from(text, "base64url");
  if (!/^[A-Za-z0-9_-]+$/.test(text) || key.length < STATE_KEY_BYTES) {
    throw usage(path, "is not a state key file (a key file holds one line of 43 characters)");
  }
  return { key, created: false };
}

function createKey(path: string): Buffer {
  const key = randomBytes(STATE_KEY_BYTES);
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fd = openSync(path, flags, 0o600);
    try {
      writeSync(fd, `${key.toString("base64url")}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw usage(path, `cannot be created (${errnoOf(error)})`);
  }
  return key;
}

/** What the state file keeps to recognise its key: an HMAC of a fixed text, never the key. */
export function keyCheck(key: Buffer): string {
  return keyedHash(key, "import-profiles state key check 1");
}

function usage(path: string, message: string): ImporterError {
  return new ImporterError("E_USAGE", `state key ${path} ${message}`);
}
