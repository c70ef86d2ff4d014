import { describe, expect, it } from "vitest";
import { Deadlined, Deadlines } from "../../src/delivery/deadlines.js";
import { FakeClock } from "./fake-clock.js";

class Request extends Deadlined {
  constructor(
    readonly name: string,
    readonly expired: string[],
  ) {
    super();
  }

  expire(): void {
    this.expired.push(this.name);
  }
}

/** A clock that counts the timers set and cleared on it. */
class CountingClock extends FakeClock {
  set = 0;
  cleared = 0;

  override setTimeout(fn: () => void, ms: number): unknown {
    this.set++;
    return super.setTimeout(fn, ms);
  }

  override clearTimeout(handle: unknown): void {
    this.cleared++;
    super.clearTimeout(handle);
  }
}

describe("Deadlines", () => {
  it("tells each request still in flight at its own deadline, in the order they were sent", async () => {
    const clock = new FakeClock();
    const deadlines = new Deadlines(1_000, clock);
    const expired: string[] = [];
    const a = new Request("a", expired);
    const b = new Request("b", expired);
    const c = new Request("c", expired);
    deadlines.add(a);
    await clock.advance(300);
    deadlines.add(b);
    await clock.advance(300);
    deadlines.add(c);
    await clock.advance(399);
    expect(expired).toEqual([]);
    await clock.advance(1); // a's 1,000 ms
    expect(expired).toEqual(["a"]);
    deadlines.remove(b); // answered in time
    await clock.advance(599); // past b's deadline: the timer armed for it finds c not yet due
    expect(expired).toEqual(["a"]);
    await clock.advance(1); // c's, 1,000 ms after it was sent
    expect(expired).toEqual(["a", "c"]);
  });

  it("sets one timer for many requests in flight, and leaves none once they have all ended", async () => {
    const clock = new CountingClock();
    const deadlines = new Deadlines(1_000, clock);
    const expired: string[] = [];
    const requests = Array.from({ length: 32 }, (_, i) => new Request(`r${i}`, expired));
    for (const request of requests) deadlines.add(request);
    for (const request of requests.slice(1)) deadlines.remove(request);
    expect(clock.set).toBe(1);
    await clock.advance(1_000);
    expect(expired).toEqual(["r0"]);
    deadlines.add(new Request("late", expired));
    expect(clock.set).toBe(2);
    await clock.advance(500);
    deadlines.remove(requests[0] as Request); // ended already: nothing changes
    const last = new Request("last", expired);
    deadlines.add(last);
    expect(clock.set).toBe(2);
    await clock.advance(500); // "late" at 1,000
    expect(expired).toEqual(["r0", "late"]);
    deadlines.remove(last);
    expect(clock.cleared).toBe(1); // nothing in flight: no timer left to hold the process
    await clock.advance(10_000);
    expect(expired).toEqual(["r0", "late"]);
  });
});
