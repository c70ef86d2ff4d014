import { describe, expect, it } from "vitest";
import type { ExtendedCatalog } from "../../../src/emulator/index.js";
import { emulatorPerTest } from "../helpers.js";
import { byUserThenTime, ITEM_TYPES, runExport } from "./run-export.js";

const emulator = emulatorPerTest();

/** Naver SmartStore's order-line export: one row per product of an order, prices with separators. */
const SMARTSTORE_MAPPING = `source: { timezone: Asia/Seoul }
where: "row['주문상태'] != '취소'"
identity:
  external_id: 구매자ID
event:
  name: { value: df_purchase }
  datetime: { column: 주문일시, format: "yyyy-MM-dd HH:mm:ss" }
properties:
  df_order_id: 주문번호
  df_total_purchase_amount: { expr: "sum(rows.map(r, number(r['최종 상품별 총 주문금액'])))", type: Double }
items:
  group_by: 주문번호
  properties:
    df_item_id: 상품번호
    df_item_name: 상품명
    df_price: { expr: "number(row['상품가격']) + number(row['옵션가격'])", type: Double }
    df_quantity: { column: 수량, type: Long }
`;

const CATALOG: ExtendedCatalog = {
  events: {
    df_purchase: {
      properties: { df_order_id: "String", df_total_purchase_amount: "Double" },
      items: ITEM_TYPES,
    },
  },
};

const HEADER =
  "상품주문번호,주문번호,주문일시,주문상태,구매자ID,상품번호,상품명,옵션정보,수량,상품가격,옵션가격,최종 상품별 총 주문금액";

interface Line {
  readonly product: string;
  readonly name: string;
  readonly option: string;
  readonly qty: number;
  readonly price: number;
  readonly optionPrice: number;
}

const won = (n: number) => `"${n.toLocaleString("en-US")}"`;

/** Order o: 1 to 3 lines; every 5th order cancelled; order 7's second line has a broken option price. */
function order(o: number): { status: string; lines: Line[] } {
  const lines: Line[] = [];
  for (let l = 0; l <= o % 3; l++) {
    lines.push({
      product: `P${100 + l}`,
      name: ["무지 티셔츠", "양말 3팩", "에코백"][l] as string,
      option: l === 0 ? "색상: 블랙 / 사이즈: L" : "",
      qty: 1 + ((o + l) % 2),
      price: 12_900 + 1000 * l,
      optionPrice: l === 0 ? 2_000 : 0,
    });
  }
  return { status: o % 5 === 4 ? "취소" : "구매확정", lines };
}

function csvOf(orders: number): string {
  const rows = [HEADER];
  for (let o = 0; o < orders; o++) {
    const { status, lines } = order(o);
    lines.forEach((line, l) => {
      const total = (line.price + line.optionPrice) * line.qty;
      const optionPrice = o === 7 && l === 1 ? "-" : won(line.optionPrice);
      rows.push(
        [
          `2024060${o}${l}`,
          `20240609${1000 + o}`,
          `2024-06-09 1${o % 10}:00:00`,
          status,
          `buyer${o % 4}`,
          line.product,
          line.name,
          line.option,
          line.qty,
          won(line.price),
          optionPrice,
          won(total),
        ].join(","),
      );
    });
  }
  return `${rows.join("\r\n")}\r\n`;
}

describe("a SmartStore order-line export (CSV)", () => {
  it("sends one purchase per order: item price incl. option price, the order total summed over its lines, cancelled orders filtered", async () => {
    const e = await emulator({ catalog: CATALOG });
    const orders = 10;
    const run = await runExport(e, "smartstore.csv", csvOf(orders), SMARTSTORE_MAPPING);

    const expected = [];
    let rows = 0;
    let filtered = 0;
    let order7 = 0; // the line of order 7's first row
    for (let o = 0; o < orders; o++) {
      const { status, lines } = order(o);
      if (o === 7) order7 = rows + 2;
      rows += lines.length;
      if (status === "취소") filtered += lines.length;
      if (status === "취소" || o === 7) continue;
      const seoulHour = 10 + (o % 10);
      expected.push({
        identity: { external_id: `buyer${o % 4}` },
        event_log_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_name: "df_purchase",
        event_datetime: new Date(Date.UTC(2024, 5, 9, seoulHour - 9, 0, 0)).toISOString(),
        event_properties: {
          df_order_id: `20240609${1000 + o}`,
          df_total_purchase_amount: lines.reduce(
            (s, l) => s + (l.price + l.optionPrice) * l.qty,
            0,
          ),
        },
        event_items: lines.map((l) => ({
          df_item_id: l.product,
          df_item_name: l.name,
          df_price: l.price + l.optionPrice,
          df_quantity: l.qty,
        })),
      });
    }
    expect(run.events).toEqual(byUserThenTime(expected));
    // Order 7: its second line's option price is "-": the whole order is dead-lettered.
    const failed =
      "expression \"number(row['상품가격']) + number(row['옵션가격'])\" failed: number(): \"-\" is not a Double (expected a number such as -1.5, 1,234.5 or 1e3) (at character 23)";
    expect(
      run.dead.map((d) => [d.line, d.error.code, d.error.field ?? null, d.error.message]),
    ).toEqual([
      [
        order7,
        "GROUP_FAILED",
        null,
        `group 주문번호 = "202406091007": line ${order7 + 1} of the same event failed (${failed}); the event is sent whole or not at all`,
      ],
      [order7 + 1, "EXPRESSION_FAILED", "items.df_price", failed],
    ]);
    expect(run.report).toMatchObject({
      rows,
      accepted: rows - filtered - 2,
      filtered,
      deadLettered: 2,
      notAttempted: 0,
    });
    expect(filtered).toBe(3); // orders 4 (2 lines) and 9 (1 line)
  });
});
