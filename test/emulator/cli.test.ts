import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { post } from "./helpers.js";

/** The built shim: `npm test` builds before vitest; run `npm run build` before running this alone. */
const SHIM = fileURLToPath(new URL("../../dist/src/cli/dfinery-emulator.js", import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

/** Resolves with the first line the child prints on stdout. */
function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    proc.stdout?.setEncoding("utf8");
    proc.stdout?.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end !== -1) resolve(text.slice(0, end));
    });
    proc.once("exit", (code) => reject(new Error(`exited ${code} before printing a line`)));
  });
}

describe("the dfinery-emulator command", () => {
  it("is built (run `npm run build` first)", () => {
    expect(existsSync(SHIM), `${SHIM} is missing`).toBe(true);
  });

  it("prints its url first, serves requests and exits 0 on SIGTERM", async () => {
    child = spawn(process.execPath, [SHIM, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const line = await firstLine(child);
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    expect(match).not.toBeNull();
    const reply = await post(match?.[1] as string);
    expect(reply.body.code).toBe("20000");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it("exits 2 with a one-line message for a bad flag", async () => {
    child = spawn(process.execPath, [SHIM, "--limit", "lots"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, "close");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^dfinery-emulator: --limit: limit "lots" is not COUNT\/UNIT/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
