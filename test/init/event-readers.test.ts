/**
 * `import-events init` told how to read, as `import-profiles init` is: a headerless PostgreSQL
 * `COPY` file of events (tab-delimited, `\N` for NULL, backslash escapes) with `--no-header`,
 * `--dialect postgres` and `--delimiter tab`, drafted, kept and sent.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { emulatorPerTest, runCli, tempDir } from "../cli/helpers.js";
import type { Meant } from "./event-exports.js";
import { arrived, dryRun, keep, meant, missing, realRun } from "./event-runs.js";

const emulator = emulatorPerTest();
const NAMES = ["login", "view_item", "add_to_cart", "purchase", "logout"];
const STANDARD = [
  "df_login",
  "df_view_product_details",
  "df_add_to_cart",
  "df_purchase",
  "df_logout",
];

/**
 * `COPY events (id, user_id, name, created_at, amount, note) TO STDOUT` on a server in UTC:
 * `count` events of 6 users, every 40th anonymous (`\N`), amounts only on purchases.
 */
function copyEvents(dir: string, count: number) {
  const lines: string[] = [];
  const events: (Meant & { note: string; amount?: number })[] = [];
  for (let i = 0; i < count; i++) {
    const ms = Date.UTC(2024, 2, 1, 3, 0, 0) + i * 61_123;
    const iso = new Date(ms).toISOString();
    const user = i % 40 === 5 ? undefined : `u${100 + (i % 6)}`;
    const amount = i % 5 === 3 ? i * 1.5 : undefined;
    const cells = [
      String(1000 + i),
      user ?? "\\N",
      NAMES[i % 5] as string,
      `${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`,
      amount === undefined ? "\\N" : amount.toFixed(2),
      `page\\t${i}`,
    ];
    lines.push(cells.join("\t"));
    if (user === undefined) continue;
    const event = { person: user, name: STANDARD[i % 5] as string, utc: iso, note: `page\t${i}` };
    events.push(amount === undefined ? event : { ...event, amount });
  }
  const path = join(dir, "events.copy");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows: count, events };
}

describe("import-events init, told how to read", () => {
  test("--no-header, --dialect postgres, --delimiter tab: a COPY file of events, its person written in, sent as the dump holds it", async () => {
    const dir = tempDir();
    const file = copyEvents(dir, 120);
    const out = join(dir, "events.yaml");
    const flags = ["--no-header", "--dialect", "postgres", "--delimiter", "tab"];
    const init = await runCli(
      ["init", file.path, ...flags, "--out", out],
      {},
      undefined,
      "import-events",
    );
    expect(init.code).toBe(0);
    const yaml = readFileSync(out, "utf8");
    const columns = [1, 2, 3, 4, 5, 6].map((n) => `"column_${n}"`).join(", ");
    expect(
      missing(yaml, [
        "  format: tsv",
        '  delimiter: "\\t"',
        "  header: false # as given by --no-header",
        `  columns: [${columns}]`,
        "  dialect: postgres # as given by --dialect",
        "  timezone: UTC",
        "  external_id: TODO_person_column",
        '    column: "column_3"',
        '      "view_item": "df_view_product_details" # the standard event',
        '  datetime: { column: "column_4" }',
        '  TODO_column_5: { column: "column_5", type: Double }',
      ]),
    ).toEqual([]);
    // Only the person is left to write: the names say nothing, the values cannot tell a member.
    expect(init.stdout).toContain(
      'identity.external_id: "TODO_person_column" is a placeholder left by init',
    );
    expect(init.stdout.match(/is a placeholder left by init/g)).toHaveLength(1);

    // Kept with the person written in and the generated names renamed.
    const map = keep(
      dir,
      yaml
        .replace("TODO_person_column", '{ column: "column_2" }')
        .replace("TODO_column_5:", "amount:")
        .replace("TODO_column_6:", "note:"),
    );
    const dry = await dryRun(dir, file.path, map);
    expect(dry).toMatchObject({ rows: 120, accepted: file.events.length });
    expect(dry.accepted / dry.rows).toBeGreaterThanOrEqual(0.95);
    const { result, events } = await realRun(await emulator(), dir, file.path, map);
    expect(result.code).toBe(1); // the 3 anonymous rows are dead-lettered: no identity
    expect(arrived(events)).toEqual(meant(file.events));
    for (const m of file.events) {
      const sent = events.find((e) => e.event_datetime === m.utc);
      expect(sent?.identity).toEqual({ external_id: m.person });
      expect(sent?.event_properties.note).toBe(m.note); // `\t` read as a tab
      expect(sent?.event_properties.amount).toBe(m.amount); // `\N`: no property
    }
  });
});
