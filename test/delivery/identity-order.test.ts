import { describe, expect, it } from "vitest";
import { IdentityOrder } from "../../src/delivery/identity-order.js";

/** Every promise that can settle has: the next macrotask runs after all pending microtasks. */
const tick = () => new Promise((r) => setImmediate(r));

describe("IdentityOrder", () => {
  it("holds a row until the earlier row of the same user is done", async () => {
    const order = new IdentityOrder();
    const events: string[] = [];
    const first = order.acquire({ external_id: "u1" });
    expect(first.ready).toBeUndefined(); // nothing before it: its turn is now
    const turn = order.acquire({ external_id: "u1" });
    const second = turn.ready?.then(() => {
      events.push("second");
      turn.release();
    });
    expect(second).toBeDefined();
    await tick();
    expect(events).toEqual([]);
    events.push("first done");
    first.release();
    await second;
    expect(events).toEqual(["first done", "second"]);
    expect(order.size).toBe(0);
  });

  it("is idle for a user with no row waiting or in flight, by any one of its identifiers", async () => {
    const order = new IdentityOrder();
    expect(order.idle({ external_id: "u1" })).toBe(true);
    const turn = order.acquire({ external_id: "u1", email: "a@x" });
    expect(order.idle({ email: "a@x" })).toBe(false);
    expect(order.idle({ external_id: "u2", email: "a@x" })).toBe(false);
    expect(order.idle({ external_id: "u2" })).toBe(true);
    turn.release();
    turn.release(); // once is enough; again does nothing
    expect(order.idle({ email: "a@x" })).toBe(true);
    expect(order.size).toBe(0);
  });

  it("orders rows that share any one identifier, and lets others through", async () => {
    const order = new IdentityOrder();
    const a = order.acquire({ external_id: "u1", email: "a@x" });
    let emailRowRan = false;
    const byEmail = order.acquire({ email: "a@x" });
    const ran = byEmail.ready?.then(() => {
      emailRowRan = true;
      byEmail.release();
    });
    const other = order.acquire({ external_id: "u2" });
    expect(other.ready).toBeUndefined();
    other.release();
    await tick();
    expect(emailRowRan).toBe(false);
    a.release();
    await ran;
    expect(emailRowRan).toBe(true);
    expect(order.size).toBe(0);
  });

  it("waits for every earlier row it shares a value with, each once", async () => {
    const order = new IdentityOrder();
    const byId = order.acquire({ external_id: "u1" });
    const byEmail = order.acquire({ email: "a@x" });
    const both = order.acquire({ external_id: "u1", email: "a@x" });
    let ran = false;
    const done = both.ready?.then(() => {
      ran = true;
    });
    byId.release();
    await tick();
    expect(ran).toBe(false); // the e-mail's row is still in flight
    byEmail.release();
    await done;
    expect(ran).toBe(true);
    const after = order.acquire({ external_id: "u1", email: "a@x" });
    const next = after.ready?.then(() => "next");
    both.release();
    expect(await next).toBe("next"); // the same earlier row by both values: waited for once
  });
});
