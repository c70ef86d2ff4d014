import { describe, expect, it } from "vitest";
import { Progress } from "../../src/state/progress.js";

describe("Progress", () => {
  it("advances the watermark over read lines only when every earlier one is complete", () => {
    const p = new Progress();
    for (const line of [2, 3, 5, 6, 9]) p.noteRead(line);
    expect(p.watermark).toBe(0);
    p.complete(5);
    p.complete(9);
    expect(p.watermark).toBe(0);
    p.complete(2);
    expect(p.watermark).toBe(2);
    p.complete(3);
    expect(p.watermark).toBe(5); // 4 was never read (a multi-line record, a blank line)
    p.complete(6);
    expect(p.watermark).toBe(9);
    expect(p.inFlight).toBe(0);
  });

  it("holds only rows in flight in memory, however long one row holds the watermark", () => {
    const p = new Progress();
    for (let line = 2; line <= 100_001; line++) {
      p.noteRead(line);
      if (line >= 11) p.complete(line - 8); // line 2 is stuck (retrying), 3.. complete
    }
    expect(p.inFlight).toBe(1 + 8); // line 2 and the last 8 read
    expect(p.watermark).toBe(0);
    p.complete(2);
    expect(p.watermark).toBe(100_001 - 8);
  });

  it("counts lines done in an interrupted pass as complete and reports them", () => {
    const p = new Progress({ watermark: 3, lines: [5, 9] });
    expect([2, 3, 5, 6, 9].map((l) => p.noteRead(l))).toEqual([true, true, true, false, true]);
    expect(p.watermark).toBe(5);
    p.complete(6);
    expect(p.watermark).toBe(9);
    expect(p.rowsRead).toBe(5);
  });

  it("keeps what an interrupted pass did beyond the rows read again (read to, open lines)", () => {
    const p = new Progress({ watermark: 3, lines: [], readTo: 20, open: [6, 12] });
    expect([2, 3, 5, 6, 9].map((l) => p.noteRead(l))).toEqual([true, true, true, false, true]);
    expect(p.readTo).toBe(20);
    expect(p.open()).toEqual([6, 12]); // 6 in flight again; 12 not read yet
    p.complete(6);
    expect(p.open()).toEqual([12]);
    // Interrupted again: what this pass writes is all the next resume knows.
    const again = new Progress({
      watermark: p.watermark,
      lines: [],
      readTo: p.readTo,
      open: p.open(),
    });
    const lines = [5, 6, 9, 12, 15, 20, 21];
    expect(lines.map((l) => again.isDone(l))).toEqual([true, true, true, false, true, true, false]);
    // Read past the interrupted pass: its own rows in flight are the open ones.
    expect([12, 15, 20, 21, 22].map((l) => again.noteRead(l))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    again.complete(22);
    expect(again.readTo).toBe(22);
    expect(again.open()).toEqual([12, 21]);
  });

  it("refuses lines out of read order and completions of rows not in flight", () => {
    const p = new Progress({ watermark: 0, lines: [4] });
    p.noteRead(3);
    expect(() => p.noteRead(3)).toThrow(/increasing line order/);
    expect(() => p.complete(7)).toThrow(/not in flight/);
    p.noteRead(4);
    expect(() => p.complete(4)).toThrow(/not in flight/);
    p.complete(3);
    expect(() => p.complete(3)).toThrow(/not in flight/);
  });

  it("reads and completes a run of rows at once as it would one by one, a row in flight before it", () => {
    const one = new Progress({ watermark: 3, lines: [9], readTo: 7, open: [5] });
    const run = new Progress({ watermark: 3, lines: [9], readTo: 7, open: [5] });
    expect(run.doneThrough).toBe(9);
    expect(new Progress().doneThrough).toBe(0);
    for (const p of [one, run]) {
      p.noteRead(10); // in flight (its request not answered) while the run is read
      p.noteRead(11);
      p.complete(11);
      p.noteRead(12); // the newest row read, in flight
    }
    for (const line of [14, 15, 17]) {
      one.noteRead(line);
      one.complete(line);
    }
    run.readCompleted(14, 17, 3);
    const state = (p: Progress) => [p.watermark, p.readTo, p.open(), p.inFlight, p.rowsRead];
    expect(state(run)).toEqual(state(one));
    expect(state(run)).toEqual([3, 17, [10, 12], 2, 6]); // 10 holds the watermark
    for (const p of [one, run]) p.complete(12);
    expect(state(run)).toEqual(state(one));
    expect(() => run.readCompleted(17, 20, 2)).toThrow(/must follow line 17/);
    const resumed = new Progress({ watermark: 0, lines: [30] });
    expect(() => resumed.readCompleted(20, 40, 5)).toThrow(/and any done before: 20/);
  });

  it("answers as a list of every row in flight would, however rows complete (the newest kept apart)", () => {
    // A seeded walk: rows read in increasing lines, completed at once, later, or out of order.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const p = new Progress({ watermark: 0, lines: [], readTo: 0, open: [] });
    const reads: number[] = []; // every line read, in order
    const flying = new Set<number>();
    let line = 0;
    for (let step = 0; step < 20_000; step++) {
      const roll = random();
      if (roll < 0.5 || flying.size === 0) {
        line += 1 + Math.floor(random() * 3);
        p.noteRead(line);
        reads.push(line);
        flying.add(line);
        if (random() < 0.6) {
          p.complete(line); // most rows of a nightly run: completed as soon as read
          flying.delete(line);
        }
      } else {
        const all = [...flying];
        const done = random() < 0.5 ? (all[0] as number) : (all[all.length - 1] as number);
        p.complete(done);
        flying.delete(done);
      }
      const oldest = [...flying].sort((a, b) => a - b)[0];
      const watermark = oldest === undefined ? line : (reads[reads.indexOf(oldest) - 1] ?? 0);
      expect(p.watermark).toBe(watermark);
      expect(p.inFlight).toBe(flying.size);
      expect(p.open()).toEqual([...flying].sort((a, b) => a - b));
      expect(p.readTo).toBe(line);
    }
  });

  it("answers as a list would on resumed passes too: rows done before, completions anywhere", () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let pass = 0; pass < 40; pass++) {
      const watermark = Math.floor(random() * 30);
      const readTo = watermark + Math.floor(random() * 60);
      const open: number[] = [];
      for (let l = watermark + 1; l <= readTo; l++) if (random() < 0.3) open.push(l);
      const lines: number[] = [];
      for (let l = readTo + 1; l <= readTo + 40; l++) if (random() < 0.2) lines.push(l);
      const prior = { watermark, lines, readTo, open };
      const p = new Progress(prior);
      const doneBefore = (l: number) =>
        l <= watermark || (l <= readTo && !open.includes(l)) || lines.includes(l);
      const reads: number[] = [];
      const flying: number[] = []; // in line order
      let line = 0;
      for (let step = 0; step < 400; step++) {
        if (random() < 0.55 || flying.length === 0) {
          line += 1 + Math.floor(random() * 3);
          expect(p.noteRead(line)).toBe(doneBefore(line));
          reads.push(line);
          if (!doneBefore(line)) {
            flying.push(line);
            if (random() < 0.5) p.complete(flying.pop() as number);
          }
        } else {
          const [done] = flying.splice(Math.floor(random() * flying.length), 1);
          p.complete(done as number);
        }
        const oldest = flying[0];
        const own = oldest === undefined ? line : (reads[reads.indexOf(oldest) - 1] ?? 0);
        expect(p.watermark).toBe(Math.max(own, watermark));
        expect(p.inFlight).toBe(flying.length);
        expect(p.readTo).toBe(Math.max(line, readTo));
        expect(p.open()).toEqual([...flying, ...open.filter((l) => l > line)]);
        // What a resume would take as done is done: a row of this pass read and complete, or a
        // row not read yet done before (a line this pass skipped is no row).
        if (step % 25 !== 0) continue;
        const next = new Progress({
          watermark: p.watermark,
          lines: [],
          readTo: p.readTo,
          open: p.open(),
        });
        for (let l = 1; l <= Math.max(line, readTo) + 40; l++) {
          if (!next.isDone(l)) continue;
          if (reads.includes(l)) expect(flying.includes(l)).toBe(false);
          else if (l > line) expect(doneBefore(l)).toBe(true);
        }
      }
    }
  });
});
