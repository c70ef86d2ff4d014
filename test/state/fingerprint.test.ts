import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImporterError } from "../../src/errors.js";
import { EDGE_BYTES, fingerprintInput, fingerprintMapping } from "../../src/state/fingerprint.js";
import { tempDir } from "./helpers.js";

describe("fingerprintInput", () => {
  it("is the same for the same content and changes when the content changes", async () => {
    const dir = tempDir();
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    writeFileSync(a, "email,points\nkim@example.com,1\n");
    writeFileSync(b, "email,points\nkim@example.com,1\n");
    const fp = await fingerprintInput(a);
    expect(await fingerprintInput(b)).toBe(fp);
    writeFileSync(b, "email,points\nkim@example.com,2\n"); // same size, other byte
    expect(await fingerprintInput(b)).not.toBe(fp);
    appendFileSync(a, "lee@example.com,3\n");
    expect(await fingerprintInput(a)).not.toBe(fp);
  });

  it("sees a change in the last MiB of a large file, and reads only its ends", async () => {
    const path = join(tempDir(), "big.csv");
    const big = Buffer.alloc(3 * EDGE_BYTES, "a");
    writeFileSync(path, big);
    const fp = await fingerprintInput(path);
    big[big.length - 10] = 0x62;
    writeFileSync(path, big);
    expect(await fingerprintInput(path)).not.toBe(fp);
    big[big.length - 10] = 0x61;
    big[EDGE_BYTES + 10] = 0x62; // the middle is not read
    writeFileSync(path, big);
    expect(await fingerprintInput(path)).toBe(fp);
  });

  it("is null for standard input", async () => {
    expect(await fingerprintInput("-")).toBeNull();
  });

  it("throws an input error for a missing file", async () => {
    const missing = join(tempDir(), "missing.csv");
    await expect(fingerprintInput(missing)).rejects.toMatchObject({ code: "E_INPUT" });
    await expect(fingerprintInput(missing)).rejects.toBeInstanceOf(ImporterError);
  });
});

describe("fingerprintMapping", () => {
  it("does not depend on key order but on every value", () => {
    const a = fingerprintMapping({ identity: { email: "mail" }, properties: { p: "Long" } });
    expect(fingerprintMapping({ properties: { p: "Long" }, identity: { email: "mail" } })).toBe(a);
    expect(
      fingerprintMapping({ identity: { email: "mail" }, properties: { p: "String" } }),
    ).not.toBe(a);
  });
});
