import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readToken, TOKEN_FILE_MAX_BYTES } from "../../src/cli/token.js";
import { tempDir, write } from "./helpers.js";

describe("readToken", () => {
  it("reads a token file, and warns when other users can read it", () => {
    const dir = tempDir();
    const file = write(dir, "token", "s3cret-token\n");
    const warnings: string[] = [];
    chmodSync(file, 0o600);
    expect(readToken(file, {}, (w) => warnings.push(w))).toBe("s3cret-token");
    expect(warnings).toEqual([]);
    chmodSync(file, 0o644);
    expect(readToken(file, {}, (w) => warnings.push(w))).toBe("s3cret-token");
    expect(warnings).toEqual([
      `--token-file ${file} can be read by other users (mode 0644): chmod 600 ${file}`,
    ]);
  });

  it("refuses a token file beyond the size cap without reading it all (/dev/zero ends)", () => {
    expect(() => readToken("/dev/zero", {}, () => {})).toThrow(
      `--token-file /dev/zero holds more than ${TOKEN_FILE_MAX_BYTES / 1024} KiB: it is not a token file`,
    );
    const big = write(tempDir(), "big", "x".repeat(TOKEN_FILE_MAX_BYTES + 1));
    chmodSync(big, 0o600);
    expect(() => readToken(big, {}, () => {})).toThrow(/holds more than 64 KiB/);
    const missing = join(tempDir(), "missing");
    expect(() => readToken(missing, {}, () => {})).toThrow(
      `cannot read --token-file ${missing} (ENOENT)`,
    );
  });
});
