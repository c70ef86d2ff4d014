import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  isStreamOutput,
  openStreamOutput,
  writeStreamOutput,
} from "../../src/sinks/stream-output.js";

const dir = () => mkdtempSync(join(tmpdir(), "stream-output-"));

describe("an output that is a device or a pipe", () => {
  it("is /dev/null, or a link to it; never a regular file, a link to one, or a missing path", () => {
    const d = dir();
    const file = join(d, "precious.txt");
    writeFileSync(file, "mine\n");
    symlinkSync("/dev/null", join(d, "null-link"));
    symlinkSync(file, join(d, "file-link"));
    expect(isStreamOutput("/dev/null")).toBe(true);
    expect(isStreamOutput(join(d, "null-link"))).toBe(true);
    expect(isStreamOutput(file)).toBe(false);
    expect(isStreamOutput(join(d, "file-link"))).toBe(false);
    expect(isStreamOutput(join(d, "missing"))).toBe(false);
  });

  it("is refused when what is opened turned out a regular file (a link changed since the check)", () => {
    const d = dir();
    const file = join(d, "precious.txt");
    writeFileSync(file, "mine\n");
    const link = join(d, "was-null");
    symlinkSync(file, link);
    expect(() => writeStreamOutput(link, "report\n", "--report")).toThrow(
      `${link}: is no longer a device or a pipe; --report is never written through a link to a file`,
    );
    expect(readFileSync(file, "utf8")).toBe("mine\n");
  });

  it("is never created", () => {
    const missing = join(dir(), "nothing-here");
    expect(() => openStreamOutput(missing, "--log")).toThrow(/cannot open --log \(ENOENT\)/);
  });
});
