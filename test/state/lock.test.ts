import { spawn } from "node:child_process";
import { once } from "node:events";
import { lstatSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StateLockedError } from "../../src/state/lock.js";
import { formatStatus } from "../../src/state/status.js";
import { StateStore } from "../../src/state/store.js";
import { waitFor } from "../cli/helpers.js";
import { mortal, statePath, tempDir, transpileStore } from "./helpers.js";

const startedAt = Date.parse("2026-03-01T02:00:00Z");
const fixed = { now: () => startedAt };
const HOUR = 3600_000;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

/** Another process that takes the state file's lock and holds it until it is killed. */
async function holder(path: string) {
  const dir = tempDir();
  transpileStore(dir);
  writeFileSync(
    join(dir, "hold.mjs"),
    `import { StateStore } from "./src/state/store.js";
// Kept: a store nothing refers to is collected, and its lock's connection closed with it.
globalThis.held = StateStore.open(process.argv[2]);
globalThis.held.acquireLock();
process.stdout.write("locked\\n");
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, [join(dir, "hold.mjs"), path], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  await waitFor(() => out === "locked\n", "the holder to take the lock");
  return child;
}

describe("the state file lock", () => {
  it("refuses a second importer while the holder is alive, naming pid, host and start", () => {
    const path = statePath();
    // The holder is a store of this process; the second importer claims another pid.
    const holding = StateStore.open(path, { ...fixed, hostname: "cron1" });
    expect(holding.acquireLock()).toBeNull();
    const second = StateStore.open(path, { ...fixed, hostname: "cron1", pid: 999_999 });
    const error = thrown(() => second.acquireLock());
    expect(error).toBeInstanceOf(StateLockedError);
    expect(error).toMatchObject({
      code: "E_USAGE",
      message: `another import is running with this state file (${path}): pid ${process.pid} on host cron1 since 2026-03-01T02:00:00.000Z`,
    });
    second.close();
    holding.close();
  });

  it("holds while its process lives whatever the clocks say, and is taken over once it died", async () => {
    const path = statePath();
    const child = await holder(path);
    // A second run whose clock is 2 h ahead.
    const ahead = StateStore.open(path, { now: () => Date.now() + 2 * HOUR });
    expect(thrown(() => ahead.acquireLock())).toMatchObject({
      message: expect.stringMatching(
        new RegExp(`^another import is running with this state file .*: pid ${child.pid} on `),
      ),
    });
    expect(formatStatus(ahead)).toContain(`lock: held by pid ${child.pid} on host`);
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(formatStatus(ahead)).toMatch(
      new RegExp(`lock: free \\(left by pid ${child.pid} on host .*, no longer running\\)`),
    );
    // Its death let go of the lock: a run whose clock is 2 h behind takes it over.
    const behind = StateStore.open(path, { now: () => Date.now() - 2 * HOUR });
    expect(behind.acquireLock()).toMatchObject({ pid: child.pid });
    expect(behind.lockInfo()).toMatchObject({ pid: process.pid });
    ahead.close();
    behind.close();
  });

  it("treats a lock from another host as held and says how to look at it", () => {
    const path = statePath();
    const crash = mortal();
    StateStore.open(path, { ...fixed, hostname: "cron1", pid: 4242, ...crash }).acquireLock();
    crash.die(); // cron1 mounts the file too: its lock cannot be seen from here
    const store = StateStore.open(path, { hostname: "laptop" });
    expect(() => store.acquireLock()).toThrow(StateLockedError);
    expect(() => store.acquireLock()).toThrow(
      new RegExp(
        "may be running .*pid 4242 on host cron1 since 2026-03-01T02:00:00.000Z; that host cannot be checked from here. " +
          `\`import-profiles status --state ${path}\` shows the lock`,
      ),
    );
    expect(formatStatus(store)).toContain("lock: held by pid 4242 on host cron1");
    expect(store.breakLock()).toMatchObject({ pid: 4242, hostname: "cron1" });
    expect(store.acquireLock()).toBeNull();
    store.close();
  });

  it("is free again after release, and close releases it", () => {
    const path = statePath();
    const first = StateStore.open(path, { pid: 4242 });
    first.acquireLock();
    first.releaseLock();
    expect(first.lockInfo()).toBeNull();
    first.acquireLock();
    first.close();
    const second = StateStore.open(path, { pid: 4343 });
    expect(second.acquireLock()).toBeNull();
    second.close();
  });

  it("releases only its own lock", () => {
    const path = statePath();
    const holding = StateStore.open(path, { pid: 4242 });
    holding.acquireLock();
    const other = StateStore.open(path, { pid: 4343 });
    other.releaseLock();
    expect(other.lockInfo()).toMatchObject({ pid: 4242 });
    expect(() => other.acquireLock()).toThrow(StateLockedError);
    other.close();
    holding.close();
  });

  it("keeps its lock file empty, mode 0600, and refuses one that is a link or has content", () => {
    const path = statePath();
    const store = StateStore.open(path);
    store.acquireLock();
    store.close();
    const stat = lstatSync(`${path}-lock`);
    expect([stat.size, stat.mode & 0o777]).toEqual([0, 0o600]);

    const dir = tempDir();
    const linked = join(dir, "state.db");
    writeFileSync(join(dir, "export.csv"), "id\n1\n");
    symlinkSync(join(dir, "export.csv"), `${linked}-lock`);
    const refused = StateStore.open(linked);
    expect(() => refused.acquireLock()).toThrow(
      `the lock file ${linked}-lock of the state file is not an empty file`,
    );
    refused.close();
  });
});
