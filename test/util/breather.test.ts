import { describe, expect, it } from "vitest";
import { Breather } from "../../src/util/breather.js";

describe("Breather", () => {
  it("asks for nothing until the loop has held the thread for its time, then for a turn of the event loop", async () => {
    let now = 0;
    const breather = new Breather(50, () => now);
    now = 49;
    expect(breather.due()).toBeUndefined();
    now = 50;
    const turn = breather.due();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    // Its time counts anew from that turn.
    expect(breather.due()).toBeUndefined();
    now = 99;
    expect(breather.due()).toBeUndefined();
    now = 100;
    expect(breather.due()).toBeInstanceOf(Promise);
  });
});
