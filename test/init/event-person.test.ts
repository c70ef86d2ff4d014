import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { personIdHeader } from "../../src/init/identity.js";
import { emulatorPerTest } from "../cli/helpers.js";
import { type EventExport, ga4, type Meant } from "./event-exports.js";
import { arrived, draft, dryRun, keep, meant, missing, realRun, todos } from "./event-runs.js";
import { orderLines } from "./order-lines.js";

const emulator = emulatorPerTest();

describe("the person of an event draft, by identity.ts's header words", () => {
  test("a header names a member's id as a profile draft reads it; an event file adds the browser's id and leaves out a bare id", () => {
    expect(personIdHeader("id")).toBe("member");
    expect(personIdHeader("id", true)).toBeUndefined();
    expect(personIdHeader("Record ID", true)).toBe("member");
    expect(personIdHeader("구매자ID", true)).toBe("member");
    expect(personIdHeader("구매자번호", true)).toBe("member");
    expect(personIdHeader("user_pseudo_id", true)).toBe("device");
    expect(personIdHeader("user_pseudo_id")).toBeUndefined();
    expect(personIdHeader("order_id", true)).toBeUndefined();
  });

  test("GA4 with user_id on every event: the member, not the browser; every event sent as the member's", async () => {
    const { dir, file, result } = await draft((d) => ga4(d, 120, "all"));
    expect(missing(result.draft, ['  external_id: { column: "user_id" }'])).toEqual([]);
    expect(result.draft).toContain(
      '  # the person: "user_id" is named like a member\'s id and repeats across events (9 people in 120 sample rows)',
    );
    expect(todos(result)).toEqual([]);
    expect(result.valid).toBe(file.rows);
    const map = keep(dir, result.draft);
    expect(await dryRun(dir, file.path, map)).toMatchObject({ rows: 120, accepted: 120 });
    const { result: run, events } = await realRun(await emulator(), dir, file.path, map);
    expect(run.code).toBe(0);
    expect(arrived(events)).toEqual(meant(file.events));
    expect(events.every((e) => /^member_\d$/.test(e.identity.external_id ?? ""))).toBe(true);
    expect(events.every((e) => Object.keys(e.identity).join() === "external_id")).toBe(true);
  });

  test("GA4 without user_id: the browser's id, said to be no member's", async () => {
    const { dir, file, result } = await draft((d) => ga4(d, 120, "none"));
    expect(missing(result.draft, ['  external_id: { column: "user_pseudo_id" }'])).toEqual([]);
    expect(result.draft).toContain(
      "  # it is not a member id: one person on two devices or browsers is two people here",
    );
    const map = keep(dir, result.draft);
    const { events } = await realRun(await emulator(), dir, file.path, map);
    expect(arrived(events)).toEqual(meant(file.events));
    expect(new Set(events.map((e) => e.identity.external_id)).size).toBe(9);
  });

  test("order lines with a line id and member_id: the member is the person, the bare id an item's, one purchase per order", async () => {
    const { dir, file, result } = await draft(orderLines);
    expect(
      missing(result.draft, [
        '  external_id: { column: "member_id" }',
        '  group_by: "order_id"',
        '  id: { column: "order_id", transform: [{ uuid: "df_purchase" }] }',
        '  datetime: { column: "ordered_at" }',
        '    df_item_id: { column: "product_id" }',
        '    id: { column: "id", type: Long }', // the line's id, an item's property
      ]),
    ).toEqual([]);
    expect(result.draft).not.toMatch(/^\s+external_id: \{ column: "id" \}/m);
    expect(result.draft).not.toContain('"id" is named like');
    expect(result.valid).toBe(file.rows);
    const map = keep(dir, result.draft);
    expect(await dryRun(dir, file.path, map)).toMatchObject({
      rows: file.rows,
      accepted: file.rows,
    });
    const { result: run, events } = await realRun(await emulator(), dir, file.path, map);
    expect(run.code).toBe(0);
    expect(arrived(events)).toEqual(meant(file.events));
    for (const m of file.events) {
      const sent = events.find((e) => e.event_properties.df_order_id === m.properties?.df_order_id);
      expect(sent?.identity).toEqual({ external_id: m.person });
      expect(sent?.event_items).toEqual(
        (m.items ?? []).map((item) => expect.objectContaining(item)),
      );
    }
  });

  test("a person known only by phone: the country its numbers are written in, sent as numbers of it; the few of another country named", async () => {
    // A text-message shop's log: 50 US customers in national formats, every 12th row a Korean mobile.
    const make = (dir: string): EventExport & { korean: string[] } => {
      const lines = ["customer_phone,event_name,event_time"];
      const events: Meant[] = [];
      const korean: string[] = [];
      for (let i = 0; i < 120; i++) {
        const utc = new Date(Date.UTC(2024, 2, 1, 12, 0, i)).toISOString();
        const name = i % 2 === 0 ? "login" : "purchase";
        const last = String(1000 + (i % 50) * 17).padStart(4, "0");
        const kr = i % 12 === 5;
        const phone = kr
          ? `010-${2000 + i}-${last}`
          : i % 3
            ? `(617) 253-${last}`
            : `617.253.${last}`;
        if (kr) korean.push(phone);
        lines.push(`${phone},${name},${utc}`);
        if (!kr) events.push({ person: `1617253${last}`, name: `df_${name}`, utc });
      }
      const path = join(dir, "sms_events.csv");
      writeFileSync(path, `${lines.join("\n")}\n`);
      return { path, rows: 120, events, korean };
    };
    const { dir, file, result } = await draft(make);
    expect(
      missing(result.draft, ['  phone_no: { column: "customer_phone", transform: [phone] }']),
    ).toEqual([]);
    expect(result.draft).toMatch(/^ {2}country: US # 110\/120 numbers without \+country code are/m);
    expect(result.summary).toContain(
      `10 of 120 numbers of "customer_phone" are refused as numbers of US but valid numbers of KR: the country is probably wrong (${file.korean
        .slice(0, 5)
        .map((k) => JSON.stringify(k))
        .join(", ")}); write theirs in source.country`,
    );
    const map = keep(dir, result.draft);
    const { events } = await realRun(await emulator(), dir, file.path, map);
    const who = events.map((e) => ({
      person: e.identity.phone_no as string,
      utc: e.event_datetime,
      name: e.event_name,
    }));
    expect(who.map((e) => `${e.person} ${e.utc} ${e.name}`).sort()).toEqual(
      file.events.map((e) => `${e.person} ${e.utc} ${e.name}`).sort(),
    );
  });
});
