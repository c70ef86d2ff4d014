import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, importOrderRows, ordersTaken } from "./event-fixtures.js";
import { emulatorPerTest, ownScratch, readJson, readNdjson } from "./helpers.js";

const emulator = emulatorPerTest();

describe("import-events with an order whose rows are not adjacent", () => {
  it("sends the first part once and dead-letters the part that comes back, saying so", async () => {
    const e = await emulator({ catalog: CATALOG });
    const { dir, result } = await importOrderRows(e.url, [
      "u1,o1,2024-05-14T06:00:00Z,A,1",
      "u1,o1,2024-05-14T06:00:00Z,B,2",
      "u2,o2,2024-05-14T06:01:00Z,C,1",
      "u1,o1,2024-05-14T06:00:00Z,D,3",
      "u1,o1,2024-05-14T06:00:00Z,E,1",
      "u3,o3,2024-05-14T06:02:00Z,F,1",
    ]);
    expect(result.code).toBe(1);
    const sent = ordersTaken(e);
    expect(sent.sort()).toEqual([
      ["u1", "o1", ["A", "B"]],
      ["u2", "o2", ["C"]],
      ["u3", "o3", ["F"]],
    ]);
    const message =
      'group order_id = "o1": lines 5-6 come back after the group\'s earlier rows, lines 2-3, were closed by other rows; an event is sent whole or not at all, and the earlier part went on as an event of its own (it may have been sent): sort the file by its group column, or use --group-by-identity';
    const row = (sku: string, qty: string) => ({
      user_id: "u1",
      order_id: "o1",
      created_at: "2024-05-14T06:00:00Z",
      sku,
      qty,
    });
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code, d.error.message, d.row])).toEqual([
      [5, "GROUP_SPLIT", message, row("D", "3")],
      [6, "GROUP_SPLIT", message, row("E", "1")],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 6,
      accepted: 4,
      deadLettered: 2,
      splitGroupRows: 2,
    });
    expect(result.stdout).toContain(
      "2 rows came after their item group had closed (GROUP_SPLIT): dead-lettered, while each such group's earlier rows went on as an event of their own: check those events (docs/events.md)",
    );
    expect(ownScratch()).toEqual([]); // the closed order ids were on disk, and are gone
  });
});
