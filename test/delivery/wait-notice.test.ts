import { describe, expect, it } from "vitest";
import {
  instantText,
  waitLength,
  waitNotice,
  waitStopMessage,
} from "../../src/delivery/wait-notice.js";

describe("wait notices", () => {
  it("gives an instant in UTC and in local time with its offset", () => {
    const ms = Date.UTC(2026, 10, 29, 15, 0, 0, 100);
    const { iso, local } = instantText(ms);
    expect(iso).toBe("2026-11-29T15:00:00.100Z");
    const offsetMin = -new Date(ms).getTimezoneOffset();
    const shifted = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace("T", " ");
    expect(local.slice(0, 19)).toBe(shifted);
    expect(local).toMatch(/ [+-]\d\d:\d\d$/);
  });

  it("shows an absurd reset (1e300, or not a number) as the last instant a date can hold", () => {
    expect(instantText(1e300).iso).toBe("+275760-09-13T00:00:00.000Z");
    expect(instantText(Number.NaN).iso).toBe("+275760-09-13T00:00:00.000Z");
  });

  it("says a wait's length in the units that read best", () => {
    expect(waitLength(5_600)).toBe("6 s");
    expect(waitLength(600_000)).toBe("10 min");
    expect(waitLength(3 * 3_600_000 + 120_000)).toBe("3 h 2 min");
    expect(waitLength(3 * 86_400_000)).toBe("3 d 0 h");
    expect(waitLength(1e300)).toBe("over ten years");
  });

  it("says until when and why, and what to do when the run stops", () => {
    const now = Date.UTC(2026, 10, 29, 14, 0, 0);
    const wait = {
      sinceMs: now,
      untilMs: now + 3_600_000,
      reason: "quota-spent" as const,
      tooLong: true,
    };
    expect(waitNotice(wait, now)).toMatch(
      /^waiting 60 min for the rate limit, until 2026-11-29T15:00:00\.000Z \(.+ local\): the API's rate-limit headers say the quota is spent$/,
    );
    expect(waitStopMessage(wait, 120_000)).toMatch(
      /^the rate-limit quota is spent until 2026-11-29T15:00:00\.000Z \(.+ local\), a wait beyond --max-wait 2 min .*--resume/,
    );
  });
});
