import { describe, expect, it } from "vitest";
import { Window } from "../../src/run/window.js";

/** Every promise that can settle has: the next macrotask runs after all pending microtasks. */
const settled = () => new Promise((r) => setImmediate(r));

describe("Window", () => {
  it("lets no more than its size in, and the next one in when one leaves", async () => {
    const window = new Window(2);
    await window.acquire();
    await window.acquire();
    let third = false;
    const waiting = window.acquire().then(() => {
      third = true;
    });
    await settled();
    expect(third).toBe(false);
    expect(window.active).toBe(2);
    window.release();
    await waiting;
    expect(third).toBe(true);
    expect(window.active).toBe(2);
  });

  it("weighs what it lets in: a weight waits until it fits, one over the size goes alone", async () => {
    const window = new Window(2_000);
    await window.acquire(1_500);
    let second = false;
    const waiting = window.acquire(600).then(() => {
      second = true;
    });
    await settled();
    expect(second).toBe(false); // 2,100 would be in
    window.release(1_500);
    await waiting;
    expect(window.active).toBe(600);
    window.release(600);
    await window.acquire(2_500); // more than the whole bound, with nothing else in
    expect(window.active).toBe(2_500);
  });

  it("drains once every slot is released", async () => {
    const window = new Window(3);
    await window.acquire();
    await window.acquire();
    let drained = false;
    const d = window.drain().then(() => {
      drained = true;
    });
    window.release();
    await settled();
    expect(drained).toBe(false);
    window.release();
    await d;
    expect(drained).toBe(true);
  });

  it("lets as many waiters in as a larger size makes room for, at once", async () => {
    const window = new Window(1);
    await window.acquire();
    let entered = 0;
    const waiting = [1, 2, 3].map(() => window.acquire().then(() => entered++));
    await settled();
    expect(entered).toBe(0);
    window.resize(3);
    await Promise.all(waiting.slice(0, 2));
    await settled();
    expect(entered).toBe(2);
    expect(window.active).toBe(3);
    window.release();
    await waiting[2];
    expect(entered).toBe(3);
  });

  it("lets a waiter asking for room in once that much is free, taking its weight only", async () => {
    const window = new Window(8);
    for (let i = 0; i < 8; i++) expect(window.tryAcquire()).toBe(true);
    let entered = false;
    const waiting = window.acquire(1, 4).then(() => {
      entered = true;
    });
    for (let i = 0; i < 3; i++) window.release();
    await settled();
    expect(entered).toBe(false); // 3 free, room for 4 asked
    expect(window.tryAcquire()).toBe(false); // nor does a free slot go ahead of it
    window.release();
    await waiting;
    expect(window.active).toBe(5); // 4 were in, and its 1
    for (let i = 0; i < 3; i++) expect(window.tryAcquire()).toBe(true); // the rest of its room
    expect(window.tryAcquire()).toBe(false);
  });

  it("takes a free slot at once, but never ahead of a waiter", async () => {
    const window = new Window(2);
    expect(window.tryAcquire()).toBe(true);
    expect(window.tryAcquire(2)).toBe(false); // 3 would be in
    expect(window.tryAcquire()).toBe(true);
    const waiting = window.acquire(2);
    window.release();
    expect(window.tryAcquire()).toBe(false); // the waiter of 2 is first, and waits for room
    window.release();
    await waiting;
    expect(window.active).toBe(2);
    expect(window.tryAcquire()).toBe(false);
  });
});
