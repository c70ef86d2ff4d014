import { describe, expect, it } from "vitest";
import { Breather } from "../../src/util/breather.js";

/** One turn of the event loop. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("Breather", () => {
  it("asks for a turn of the event loop once the loop has held the thread for its time", async () => {
    let now = 0;
    const breather = new Breather(50, () => now);
    now = 49;
    expect(breather.due()).toBeUndefined();
    now = 50;
    const asked = breather.due();
    expect(asked).toBeInstanceOf(Promise);
    await asked;
    // Its time counts anew from that turn.
    expect(breather.due()).toBeUndefined();
    now = 99;
    expect(breather.due()).toBeUndefined();
    now = 100;
    expect(breather.due()).toBeInstanceOf(Promise);
  });

  it("never asks a loop that lets the event loop turn by itself (it waits for input)", async () => {
    let now = 0;
    const breather = new Breather(50, () => now);
    for (let i = 0; i < 10; i++) {
      now += 30; // 30 ms of work, then a wait
      expect(breather.due()).toBeUndefined();
      await turn();
    }
    now += 60; // then 60 ms without a turn
    expect(breather.due()).toBeInstanceOf(Promise);
  });
});
