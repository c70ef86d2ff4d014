// Preloaded in a spawned CLI (`NODE_OPTIONS=--import <this file's URL>`): the process's wall clock
// runs CLOCK_AHEAD_MS (default 2 h) ahead, as after a clock step, for `Date.now()`, `new Date()`
// and `Date()` alike. Timers and `performance.now()` are left alone: a step moves the wall clock only.
const AHEAD_MS = Number(process.env.CLOCK_AHEAD_MS ?? 2 * 3600_000);
const RealDate = Date;
const now = () => RealDate.now() + AHEAD_MS;

globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) =>
    Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
  apply: () => new RealDate(now()).toString(),
  get: (target, key, receiver) => (key === "now" ? now : Reflect.get(target, key, receiver)),
});

// The process's own clock as it exits, written to CLOCK_AHEAD_OUT when set: the test's proof that
// the clock of the process it started ran ahead (a run refused at once logs nothing).
const out = process.env.CLOCK_AHEAD_OUT;
if (out !== undefined) {
  const { writeFileSync } = await import("node:fs");
  process.on("exit", () => writeFileSync(out, String(Date.now())));
}
