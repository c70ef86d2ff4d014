import { describe, expect, it } from "vitest";
import { IdentityOrder } from "../../src/delivery/identity-order.js";

/** Every promise that can settle has: the next macrotask runs after all pending microtasks. */
const tick = () => new Promise((r) => setImmediate(r));

describe("IdentityOrder", () => {
  it("holds a row until the earlier row of the same user is done", async () => {
    const order = new IdentityOrder();
    const events: string[] = [];
    const releaseFirst = await order.acquire({ external_id: "u1" });
    const second = order.acquire({ external_id: "u1" }).then((release) => {
      events.push("second");
      release();
    });
    await tick();
    expect(events).toEqual([]);
    events.push("first done");
    releaseFirst();
    await second;
    expect(events).toEqual(["first done", "second"]);
    expect(order.size).toBe(0);
  });

  it("is idle for a user with no row waiting or in flight, by any one of its identifiers", async () => {
    const order = new IdentityOrder();
    expect(order.idle({ external_id: "u1" })).toBe(true);
    const release = await order.acquire({ external_id: "u1", email: "a@x" });
    expect(order.idle({ email: "a@x" })).toBe(false);
    expect(order.idle({ external_id: "u2", email: "a@x" })).toBe(false);
    expect(order.idle({ external_id: "u2" })).toBe(true);
    release();
    expect(order.idle({ email: "a@x" })).toBe(true);
  });

  it("orders rows that share any one identifier, and lets others through", async () => {
    const order = new IdentityOrder();
    const releaseA = await order.acquire({ external_id: "u1", email: "a@x" });
    let emailRowRan = false;
    const byEmail = order.acquire({ email: "a@x" }).then((r) => {
      emailRowRan = true;
      r();
    });
    const other = await order.acquire({ external_id: "u2" });
    other();
    await tick();
    expect(emailRowRan).toBe(false);
    releaseA();
    await byEmail;
    expect(emailRowRan).toBe(true);
    expect(order.size).toBe(0);
  });
});
