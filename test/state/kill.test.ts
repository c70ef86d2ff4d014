import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StateStore } from "../../src/state/store.js";
import { request, tempDir, transpileStore } from "./helpers.js";

/**
 * Completes rows out of order (4 in flight), each looked up first as a run's diff does, printing
 * each line once complete() returned.
 */
const CHILD = `
import { writeSync } from "node:fs";
import { StateStore } from "./src/state/store.js";
const store = StateStore.open(process.argv[2]);
store.acquireLock();
const run = store.beginRun(${JSON.stringify(request())});
const kinds = ["accepted", "dead-lettered", "accepted", "unchanged"];
for (let block = 0; ; block++) {
  const lines = [0, 1, 2, 3].map((i) => 2 + block * 5 + i); // every 5th line is never read
  for (const line of lines) run.noteRead(line);
  for (const i of [2, 0, 3, 1]) {
    const line = lines[i];
    const kind = kinds[i];
    store.lastHash("k" + line); // as a run asks: the lookups' read span must not hold the commit
    run.complete(line, kind === "accepted" ? { kind, identityHash: "k" + line, propertiesHash: "h" + line } : { kind });
    writeSync(1, line + " " + kind + "\\n");
  }
}
`;

describe("kill -9", () => {
  it("loses no accepted or dead-lettered row that complete() returned for", async () => {
    const dir = tempDir();
    transpileStore(dir);
    writeFileSync(join(dir, "child.mjs"), CHILD);
    const path = join(dir, "state.db");

    const child = spawn(process.execPath, [join(dir, "child.mjs"), path], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on("exit", (_code, signal) => done(signal)),
    );
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 40_000) child.kill("SIGKILL");
    });
    expect(await exited).toBe("SIGKILL");

    const reported = output
      .split("\n")
      .slice(0, -1) // the last line may be cut
      .map((l) => l.split(" ") as [string, string]);
    expect(reported.length).toBeGreaterThan(2_000);
    const lastDurable = reported.findLastIndex(([, kind]) => kind !== "unchanged");

    const store = StateStore.open(path);
    expect(store.acquireLock()).toMatchObject({ pid: child.pid }); // dead: taken over
    const run = store.beginRun(request({ mode: "resume" }));
    reported.forEach(([line, kind], i) => {
      // Unchanged rows are durable once a later accepted or dead-lettered row committed.
      if (kind !== "unchanged" || i < lastDurable)
        expect(run.isDone(Number(line)), line).toBe(true);
      if (kind === "accepted") expect(store.lastHash(`k${line}`)).toBe(`h${line}`);
    });
    const accepted = reported.filter(([, kind]) => kind === "accepted").length;
    expect(run.carried.accepted).toBeGreaterThanOrEqual(accepted);
    expect(run.carried.accepted).toBeLessThanOrEqual(accepted + 1); // committed, not yet printed
    store.close();
  });
});
