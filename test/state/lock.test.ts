import { describe, expect, it } from "vitest";
import { StateLockedError } from "../../src/state/lock.js";
import { StateStore } from "../../src/state/store.js";
import { statePath } from "./helpers.js";

const startedAt = Date.parse("2026-03-01T02:00:00Z");
const fixed = { now: () => startedAt, uptime: () => 3600 };

describe("the state file lock", () => {
  it("refuses a second importer while the holder is alive, naming pid, host and start", () => {
    const path = statePath();
    // The holder is this test process; the second importer claims another pid.
    const holder = StateStore.open(path, { ...fixed, hostname: "cron1" });
    expect(holder.acquireLock()).toBeNull();
    const second = StateStore.open(path, { ...fixed, hostname: "cron1", pid: 999_999 });
    const error = (() => {
      try {
        second.acquireLock();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StateLockedError);
    expect(error).toMatchObject({
      code: "E_USAGE",
      message: `another import is running with this state file (${path}): pid ${process.pid} on host cron1 since 2026-03-01T02:00:00.000Z`,
    });
    second.close();
    holder.close();
  });

  it("takes over the lock of a dead process and says whose it was", () => {
    const path = statePath();
    StateStore.open(path, { ...fixed, hostname: "cron1", pid: 4242 }).acquireLock();
    const store = StateStore.open(path, { hostname: "cron1", isAlive: () => false });
    expect(store.acquireLock()).toEqual({
      pid: 4242,
      hostname: "cron1",
      startedAt: "2026-03-01T02:00:00.000Z",
    });
    expect(store.lockInfo()).toMatchObject({ pid: process.pid, hostname: "cron1" });
    store.close();
  });

  it("takes over a lock taken before the host last booted, even if its pid is in use again", () => {
    const path = statePath();
    StateStore.open(path, { ...fixed, hostname: "cron1", pid: 4242 }).acquireLock();
    const afterReboot = StateStore.open(path, {
      hostname: "cron1",
      now: () => startedAt + 3 * 3600_000,
      uptime: () => 600, // booted 10 minutes ago, long after the lock was taken
      isAlive: () => true,
    });
    expect(afterReboot.acquireLock()).toMatchObject({ pid: 4242 });
    afterReboot.close();
  });

  it("treats a lock from another host as held and says how to look at it", () => {
    const path = statePath();
    StateStore.open(path, { ...fixed, hostname: "cron1", pid: 4242 }).acquireLock();
    const store = StateStore.open(path, { hostname: "laptop", isAlive: () => false });
    expect(() => store.acquireLock()).toThrow(StateLockedError);
    expect(() => store.acquireLock()).toThrow(
      new RegExp(
        "may be running .*pid 4242 on host cron1 since 2026-03-01T02:00:00.000Z; that host cannot be checked from here. " +
          `\`import-profiles status --state ${path}\` shows the lock`,
      ),
    );
    expect(store.breakLock()).toMatchObject({ pid: 4242, hostname: "cron1" });
    expect(store.acquireLock()).toBeNull();
    store.close();
  });

  it("is free again after release, and close releases it", () => {
    const path = statePath();
    const first = StateStore.open(path, { pid: 4242, isAlive: () => true });
    first.acquireLock();
    first.releaseLock();
    expect(first.lockInfo()).toBeNull();
    first.acquireLock();
    first.close();
    const second = StateStore.open(path, { pid: 4343, isAlive: () => true });
    expect(second.acquireLock()).toBeNull();
    second.close();
  });

  it("releases only its own lock", () => {
    const path = statePath();
    const holder = StateStore.open(path, { pid: 4242, isAlive: () => true });
    holder.acquireLock();
    const other = StateStore.open(path, { pid: 4343, isAlive: () => true });
    other.releaseLock();
    expect(other.lockInfo()).toMatchObject({ pid: 4242 });
    other.close();
    holder.close();
  });
});
