/**
 * Event exports shaped as their exporters write them, for `import-events init`: a Naver SmartStore
 * order-line CSV in CP949 (one row per product of an order, an order's lines together), a GA4
 * BigQuery export as NDJSON (µs times and INT64s as strings, parameters as key/value lists, NULLs
 * left out) and an Amplitude export (one JSON event a line, UTC times without an offset, nulls
 * written). Each also says what a right import of it sends, so a test can compare the payloads.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";

/** One event as the export means it: whose, which, when (UTC), and its items if any. */
export interface Meant {
  readonly person: string;
  readonly name: string;
  readonly utc: string;
  readonly items?: readonly Record<string, string | number>[];
  /** Event properties a right import sends (some of them). */
  readonly properties?: Readonly<Record<string, string | number>>;
  /** The event's own id in the export. */
  readonly id?: string;
}

export interface EventExport {
  readonly path: string;
  readonly rows: number;
  readonly events: readonly Meant[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

const SMARTSTORE_HEADER =
  "상품주문번호,주문번호,주문일시,주문상태,구매자명,구매자ID,구매자연락처,상품번호,상품명,옵션정보,수량,옵션가격,상품가격,최종 상품별 할인액,최종 상품별 총 주문금액,결제수단,배송비 합계";
const PRODUCTS = [
  ["8801234001", "무지 티셔츠", 12_900],
  ["8801234002", "양말 3팩", 5_900],
  ["8801234003", "에코백", 15_000],
] as const;
const STATUSES = ["결제완료", "배송중", "구매확정", "취소"];
const won = (n: number) => `"${n.toLocaleString("en-US")}"`;

/**
 * `orders` orders of 1 to 3 lines, by 7 buyers, in Seoul time; every 4th order cancelled, or
 * every order in `status` (the next day's export of the same orders, all confirmed).
 */
export function smartStore(dir: string, orders = 120, status?: string): EventExport {
  const lines = [SMARTSTORE_HEADER];
  const events: Meant[] = [];
  let line = 0;
  for (let o = 0; o < orders; o++) {
    const order = `2024060${1 + (o % 9)}${pad(o, 5)}`;
    const buyer = `buyer_${o % 7}`;
    const day = 1 + (o % 28);
    const hour = o % 24;
    const seoul = `2024-03-${pad(day)} ${pad(hour)}:${pad(o % 60)}:${pad((o * 7) % 60)}`;
    const utc = new Date(Date.UTC(2024, 2, day, hour - 9, o % 60, (o * 7) % 60)).toISOString();
    const items: Record<string, string | number>[] = [];
    let total = 0;
    for (let l = 0; l <= o % 3; l++) {
      const [id, name, price] = PRODUCTS[l] as (typeof PRODUCTS)[number];
      const qty = 1 + ((o + l) % 3);
      const option = l === 0 ? 2_000 : 0;
      const discount = l === 2 ? 1_000 : 0;
      total += (price + option) * qty - discount;
      lines.push(
        [
          `2024${pad(++line, 8)}`,
          order,
          seoul,
          status ?? STATUSES[o % 4],
          ["김민준", "이서연", "박지호"][o % 3],
          buyer,
          `010-${2000 + (o % 7)}-${pad(o % 10000, 4)}`,
          id,
          name,
          l === 0 ? "색상: 블랙 / 사이즈: L" : "",
          qty,
          won(option),
          won(price),
          won(discount),
          won((price + option) * qty - discount),
          o % 2 === 0 ? "신용카드" : "네이버페이",
          won(o % 5 === 0 ? 0 : 3_000),
        ].join(","),
      );
      items.push({ df_item_id: id, df_item_name: name, df_price: price, df_quantity: qty });
    }
    const properties = {
      df_order_id: order,
      df_total_purchase_amount: total,
      df_payment_method: o % 2 === 0 ? "신용카드" : "네이버페이",
      df_delivery_charge: o % 5 === 0 ? 0 : 3_000,
    };
    events.push({ person: buyer, name: "df_purchase", utc, items, properties });
  }
  const path = join(
    dir,
    status === undefined ? "스마트스토어_주문조회.csv" : `주문조회_${status}.csv`,
  );
  writeFileSync(path, iconv.encode(`${lines.join("\r\n")}\r\n`, "cp949"));
  return { path, rows: line, events };
}

const GA4_NAMES = [
  "session_start",
  "page_view",
  "view_item",
  "user_engagement",
  "add_to_cart",
  "purchase",
  "scroll",
];
const GA4_MEANT: Readonly<Record<string, string>> = {
  view_item: "df_view_product_details",
  add_to_cart: "df_add_to_cart",
  purchase: "df_purchase",
};
const T0_US = 1_709_294_400_000_000n; // 2024-03-01T12:00:00Z

/**
 * GA4's daily export: `count` events of 9 browsers. `users`: user_id only for the few who logged
 * in (`some`: the person is the browser), on every event (`all`: a members-only app, the person
 * is the member), or never set (`none`).
 */
export function ga4(
  dir: string,
  count = 300,
  users: "some" | "all" | "none" = "some",
): EventExport {
  const lines: string[] = [];
  const events: Meant[] = [];
  for (let i = 0; i < count; i++) {
    const name = GA4_NAMES[i % GA4_NAMES.length] as string;
    const us = T0_US + BigInt(i) * 61_000_123n;
    const pseudo = `${1_000_000 + (i % 9)}.1709290000`;
    const shop = name === "purchase" || name === "add_to_cart" || name === "view_item";
    const items = shop
      ? [
          {
            item_id: `SKU_${i}`,
            item_name: "Linen Shirt",
            item_brand: "Acme",
            item_category: "Tops",
            price: 39.5,
            quantity: "1",
          },
          ...(name === "purchase"
            ? [
                {
                  item_id: `SKU_${i + 1}`,
                  item_name: "Socks",
                  item_category: "Socks",
                  price: 9,
                  quantity: "3",
                },
              ]
            : []),
        ]
      : [];
    const params = [
      { key: "ga_session_id", value: { int_value: String(1_709_290_000 + (i % 9)) } },
      { key: "page_location", value: { string_value: `https://shop.example.com/p/${i}` } },
      { key: "engagement_time_msec", value: { int_value: String(10 * i) } },
      ...(name === "purchase"
        ? [
            { key: "transaction_id", value: { string_value: `T${i}` } },
            { key: "value", value: { double_value: 66.5 } },
            { key: "currency", value: { string_value: "USD" } },
          ]
        : []),
    ];
    lines.push(
      JSON.stringify({
        event_date: "20240301",
        event_timestamp: String(us),
        event_name: name,
        event_params: params,
        ...((users === "some" && i % 10 === 3) || users === "all"
          ? { user_id: `member_${i % 9}` }
          : {}),
        user_pseudo_id: pseudo,
        user_first_touch_timestamp: String(T0_US - 86_400_000_000n),
        device: { category: "desktop", operating_system: "Windows" },
        geo: { country: "United States", city: "Boston" },
        items,
      }),
    );
    events.push({
      person: users === "all" ? `member_${i % 9}` : pseudo,
      name: GA4_MEANT[name] ?? name,
      utc: new Date(Number(us / 1000n)).toISOString(),
      ...(items.length === 0
        ? {}
        : {
            items: items.map((it) => ({
              df_item_id: it.item_id,
              df_item_name: it.item_name,
              df_price: it.price,
              df_quantity: Number(it.quantity),
              df_category1: it.item_category,
            })),
          }),
    });
  }
  const path = join(dir, "events_20240301.json");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows: count, events };
}

const AMPLITUDE_TYPES = [
  "session_start",
  "Product Viewed",
  "Product Added",
  "Order Completed",
  "[Amplitude] Page Viewed",
];
const AMPLITUDE_MEANT: Readonly<Record<string, string>> = {
  "Product Viewed": "df_view_product_details",
  "Product Added": "df_add_to_cart",
  "Order Completed": "df_purchase",
};

/** Amplitude's export: `count` events of 6 users; every 25th anonymous (user_id null). */
export function amplitude(dir: string, count = 250): EventExport & { anonymous: number } {
  const lines: string[] = [];
  const events: Meant[] = [];
  let anonymous = 0;
  for (let i = 0; i < count; i++) {
    const type = AMPLITUDE_TYPES[i % AMPLITUDE_TYPES.length] as string;
    const user = i % 25 === 7 ? null : `user-${i % 6}`;
    const ms = Date.UTC(2024, 2, 1, 12, 0, 0, 123) + i * 97_531;
    const iso = new Date(ms).toISOString(); // 2024-03-01T12:00:00.123Z
    const time = `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`; // 2024-03-01 12:00:00.123000
    const product = type.startsWith("Product") || type === "Order Completed";
    const id = randomUUID();
    lines.push(
      JSON.stringify({
        $insert_id: id,
        amplitude_id: 500_000_000_000 + (i % 6),
        app: 123456,
        city: "Seoul",
        client_event_time: time,
        country: "South Korea",
        device_id: `device-${i % 8}`,
        event_id: i % 40,
        event_properties: product
          ? { product_id: `P${i}`, product_name: `상품 ${i}`, price: 9.9, quantity: 1 }
          : { source: "push" },
        event_time: time,
        event_type: type,
        language: "Korean",
        os_name: "ios",
        server_upload_time: time,
        session_id: 1_709_290_000_000 + (i % 6),
        user_id: user,
        user_properties: { plan: "free", 등급: "VIP" },
        uuid: randomUUID(),
      }),
    );
    if (user === null) anonymous++;
    else events.push({ person: user, name: AMPLITUDE_MEANT[type] ?? type, utc: iso, id });
  }
  const path = join(dir, "amplitude_export_2024-03-01.json");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows: count, events, anonymous };
}
