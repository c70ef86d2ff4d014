import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { errnoOf, UsageError } from "../errors.js";

/** A token file larger than this is not a token file (`--token-file /dev/zero` must not fill memory). */
export const TOKEN_FILE_MAX_BYTES = 64 * 1024;

/**
 * The access token, from `--token-file` or DFINERY_ACCESS_TOKEN. `warn` hears of a token file
 * other users can read.
 */
export function readToken(
  tokenFile: string | undefined,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): string {
  if (tokenFile !== undefined) {
    const token = readTokenFile(tokenFile, warn).trim();
    if (token === "") throw new UsageError(`--token-file ${tokenFile} is empty`);
    return checkToken(token, `--token-file ${tokenFile}`);
  }
  const token = env.DFINERY_ACCESS_TOKEN?.trim();
  if (token === undefined || token === "") {
    throw new UsageError(
      "no access token: set DFINERY_ACCESS_TOKEN or pass --token-file FILE (or use --dry-run)",
    );
  }
  return checkToken(token, "DFINERY_ACCESS_TOKEN");
}

/** Reads at most TOKEN_FILE_MAX_BYTES (plus one, to see that there is more). */
function readTokenFile(path: string, warn: (message: string) => void): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new UsageError(`cannot read --token-file ${path} (${errnoOf(error)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
      warn(`--token-file ${path} can be read by other users (mode ${mode}): chmod 600 ${path}`);
    }
    const buffer = Buffer.alloc(TOKEN_FILE_MAX_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > TOKEN_FILE_MAX_BYTES) {
      throw new UsageError(
        `--token-file ${path} holds more than ${TOKEN_FILE_MAX_BYTES / 1024} KiB: it is not a token file`,
      );
    }
    return buffer.subarray(0, length).toString("utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read --token-file ${path} (${errnoOf(error)})`);
  } finally {
    closeSync(fd);
  }
}

/** A header carries visible ASCII only; say so now rather than fail every request. */
function checkToken(token: string, from: string): string {
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(
      `the access token in ${from} holds spaces, control or non-ASCII characters, which a header cannot carry: check it was copied whole`,
    );
  }
  return token;
}
