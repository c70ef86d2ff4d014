import { describe, expect, it } from "vitest";
import { Window } from "../../src/run/window.js";

describe("Window", () => {
  it("lets no more than its size in, and the next one in when one leaves", async () => {
    const window = new Window(2);
    await window.acquire();
    await window.acquire();
    let third = false;
    const waiting = window.acquire().then(() => {
      third = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(third).toBe(false);
    expect(window.active).toBe(2);
    window.release();
    await waiting;
    expect(third).toBe(true);
    expect(window.active).toBe(2);
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
    await new Promise((r) => setTimeout(r, 5));
    expect(drained).toBe(false);
    window.release();
    await d;
    expect(drained).toBe(true);
  });
});
