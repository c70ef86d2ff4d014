/**
 * Files shaped as the exporters of issue 19 write them, for the evidence `init` must draft from:
 * a US HubSpot contacts export, an Amplitude NDJSON export (UTC), a Cafe24 member export in CP949
 * with `-` in every empty cell, a SmartStore order-line export, a GA4 BigQuery NDJSON export, a
 * headerless PostgreSQL `COPY` file, an e-mail list and issue 21's file of other people's
 * identities. Each returns what a test checks the payloads against: every row's true identity.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { pad, tools, US_AREAS } from "./exports.js";

export interface Person {
  readonly external_id?: string;
  readonly email?: string;
  /** As DFINERY shows it: international digits without `+`. */
  readonly phone_no?: string;
}

export interface EvidenceExport {
  readonly path: string;
  readonly rows: number;
  /** Every generated row's person, in file order (undefined: a row invalid on purpose). */
  readonly people: readonly (Person | undefined)[];
}

const FAMILY = ["김", "이", "박", "최", "정", "강"];
const GIVEN = ["민준", "서연", "지호", "하윤", "도윤", "은지"];

/** HubSpot contacts, a US portal: `+1` and national phone formats, a Country/Region column. */
export function hubspotUs(dir: string, rows = 200): EvidenceExport {
  const { int, pick } = tools(11);
  const people: (Person | undefined)[] = [];
  const lines = [
    "Record ID,First Name,Last Name,Email,Phone Number,Country/Region,Lifecycle Stage,Create Date,Marketing contact status",
  ];
  for (let i = 0; i < rows; i++) {
    const area = pick(US_AREAS);
    const [a, b] = [int(2, 9) * 100 + int(10, 99), int(0, 9999)];
    const digits = `1${area}${a}${pad(b, 4)}`;
    const bad = i % 67 === 13; // a number too short to be anyone's
    const phone = bad
      ? "555-0100"
      : pick([
          `+1 (${area}) ${a}-${pad(b, 4)}`,
          `(${area}) ${a}-${pad(b, 4)}`,
          `${area}.${a}.${pad(b, 4)}`,
          `+1 ${area}-${a}-${pad(b, 4)}`,
        ]);
    const id = String(51_000_000 + i * 7);
    const email = `contact${i}@acme-corp.com`;
    people.push(bad ? undefined : { external_id: id, email, phone_no: digits });
    lines.push(
      [
        id,
        pick(["Ana", "John", "Mia", "Noah"]),
        pick(["Smith", "Jones", "Garcia"]),
        email,
        `"${phone}"`,
        "United States",
        pick(["Lead", "Customer", "Subscriber"]),
        `2024-${pad(int(1, 12))}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}`,
        pick(["Marketing contact", "Non-marketing contact"]),
      ].join(","),
    );
  }
  const path = join(dir, "hubspot-crm-exports-all-contacts.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, people };
}

/** Amplitude's export: one event a line, times in UTC without an offset, Korean text in it. */
export function amplitudeUtc(dir: string, rows = 200): EvidenceExport & { times: string[] } {
  const { int, pick } = tools(12);
  const people: Person[] = [];
  const times: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const user = int(1, 40);
    const time = `2024-03-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}.${pad(int(0, 999), 3)}000`;
    times.push(`${time.slice(0, 10)}T${time.slice(11, 23)}Z`);
    people.push({ external_id: `user-${user}` });
    lines.push(
      JSON.stringify({
        $insert_id: `5f0c${pad(i, 6)}-aaaa-4bbb-8ccc-${pad(i, 12)}`,
        amplitude_id: 900_000 + user,
        user_id: `user-${user}`,
        device_id: `D-${pad(user, 4)}-${int(100, 999)}`,
        event_type: pick(["앱 실행", "상품 조회", "구매 완료"]),
        event_time: time,
        country: "South Korea",
        city: pick(["서울", "부산"]),
        platform: pick(["iOS", "Android"]),
        user_properties: { 등급: pick(["VIP", "일반"]) },
      }),
    );
  }
  const path = join(dir, "amplitude-export.json");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, people, times };
}

/** Cafe24's member export: CP949, `-` in every empty cell, 남/여, 수신함/수신안함. */
export function cafe24(dir: string, rows = 300): EvidenceExport {
  const { random, int, pick } = tools(13);
  const people: Person[] = [];
  const lines = [
    "회원아이디,이름,휴대폰번호,이메일,성별,생년월일,회원가입일,최근접속일,SMS 수신여부,이메일 수신여부,총 적립금,회원등급",
  ];
  const dash = (text: string) => (random() < 0.17 ? "-" : text);
  for (let i = 0; i < rows; i++) {
    const id = `shop${pad(i + 1, 5)}`;
    const middle = int(2000, 5899);
    const last = pad(int(0, 9999), 4);
    const phone = dash(`010-${middle}-${last}`);
    const email = dash(`member${i}@example.co.kr`);
    people.push({
      external_id: id,
      ...(phone === "-" ? {} : { phone_no: `8210${middle}${last}` }),
      ...(email === "-" ? {} : { email }),
    });
    lines.push(
      [
        id,
        pick(FAMILY) + pick(GIVEN),
        phone,
        email,
        dash(pick(["남", "여"])),
        dash(`${int(1950, 2005)}-${pad(int(1, 12))}-${pad(int(1, 28))}`),
        `2023-${pad(int(1, 12))}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
        dash(
          `2024-${pad(int(1, 12))}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
        ),
        pick(["수신함", "수신안함"]),
        pick(["수신함", "수신안함"]),
        dash(String(int(0, 50_000))),
        pick(["일반회원", "VIP"]),
      ].join(","),
    );
  }
  const path = join(dir, "member_list.csv");
  writeFileSync(path, iconv.encode(`${lines.join("\r\n")}\r\n`, "cp949"));
  return { path, rows, people };
}

/** SmartStore's order lines: one line per product, a buyer's orders spread over the file. */
export function smartStore(dir: string, orders = 120): EvidenceExport {
  const { int, pick } = tools(14);
  const people: Person[] = [];
  const lines = [
    "상품주문번호,주문번호,주문일시,구매자명,구매자ID,구매자연락처,수취인명,수취인연락처1,상품명,수량,상품가격,최종 상품별 총 주문금액",
  ];
  const buyers = Array.from({ length: 40 }, (_, b) => ({
    id: `naverbuyer${pad(b, 3)}`,
    name: pick(FAMILY) + pick(GIVEN),
    middle: int(2000, 5899),
    last: pad(int(0, 9999), 4),
  }));
  let line = 0;
  for (let o = 0; o < orders; o++) {
    const buyer = pick(buyers);
    const order = `2024030${int(1, 9)}${pad(10_000 + o, 8)}`;
    const at = `2024-03-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`;
    for (let k = int(1, 3); k > 0; k--) {
      const price = int(1, 90) * 1000;
      const quantity = int(1, 3);
      people.push({ external_id: buyer.id, phone_no: `8210${buyer.middle}${buyer.last}` });
      lines.push(
        [
          String(2024030100000000 + line++ * 13),
          order,
          at,
          buyer.name,
          buyer.id,
          `010-${buyer.middle}-${buyer.last}`,
          pick(FAMILY) + pick(GIVEN),
          `010-${int(2000, 5899)}-${pad(int(0, 9999), 4)}`,
          pick(["무선 이어폰", "텀블러", "에코백"]),
          String(quantity),
          String(price),
          String(price * quantity),
        ].join(","),
      );
    }
  }
  const path = join(dir, "스마트스토어_주문조회.csv");
  writeFileSync(path, `\uFEFF${lines.join("\n")}\n`);
  return { path, rows: line, people };
}

/** GA4's BigQuery export as NDJSON: epoch microseconds, nested records, params as a list. */
export function ga4(dir: string, rows = 200): EvidenceExport & { times: number[] } {
  const { int, pick } = tools(15);
  const people: Person[] = [];
  const times: number[] = [];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const user = int(1, 30);
    const micros = 1_709_251_200_000_000 + int(0, 2_000_000_000) * 1000 + int(0, 999);
    times.push(micros);
    people.push({ external_id: `member-${user}` });
    lines.push(
      JSON.stringify({
        event_date: new Date(Math.floor(micros / 1000))
          .toISOString()
          .slice(0, 10)
          .replace(/-/g, ""),
        event_timestamp: micros,
        event_name: pick(["page_view", "purchase", "login"]),
        event_params: [{ key: "ga_session_id", value: { int_value: int(1, 1e9) } }],
        user_pseudo_id: `${int(1e9, 2e9)}.${int(1e9, 2e9)}`,
        user_id: `member-${user}`,
        geo: { country: "South Korea", city: "Seoul" },
        device: { category: pick(["mobile", "desktop"]), language: "ko-kr" },
      }),
    );
  }
  const path = join(dir, "ga4-events.json");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, people, times };
}

/** `COPY users TO '…'` in PostgreSQL's text format: no header, tabs, `\N`, backslash escapes. */
export function postgresCopy(dir: string, rows = 150): EvidenceExport {
  const { int, pick } = tools(16);
  const people: Person[] = [];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const email = `pg${i}@example.com`;
    people.push({ email });
    lines.push(
      [
        String(i + 1),
        email,
        pick(FAMILY) + pick(GIVEN),
        i % 5 === 0 ? "\\N" : pick(["첫 줄\\n둘째 줄", "tab\\there", "plain"]),
        `2024-03-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}+00`,
        pick(["t", "f"]),
        String(int(0, 9000)),
      ].join("\t"),
    );
  }
  const path = join(dir, "users.copy");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, people };
}

/** A plain e-mail list: one column, nothing else. */
export function emailList(dir: string, rows = 60): EvidenceExport {
  const people = Array.from({ length: rows }, (_, i) => ({ email: `reader${i}@news.example` }));
  const path = join(dir, "newsletter.csv");
  writeFileSync(path, `email\n${people.map((p) => p.email.toUpperCase()).join("\n")}\n`);
  return { path, rows, people };
}

/** Issue 21.13: beside the customer's e-mail, other people's identities and a coupon per row. */
export function otherPeoples(dir: string, rows = 50): EvidenceExport {
  const { int, pick } = tools(17);
  const people: Person[] = [];
  const lines = [
    "manager_email,customer_email,referrer_email,store_phone,coupon_code,visits,joined",
  ];
  for (let i = 0; i < rows; i++) {
    const email = `buyer${i}@mail.example`;
    people.push({ email });
    lines.push(
      [
        pick(["kim.manager@store.example", "lee.manager@store.example"]),
        email,
        pick(["a@ref.example", "b@ref.example", "c@ref.example"]),
        "02-3456-7890",
        `SAVE-${pad(1000 + i * 3, 5)}`,
        String(int(1, 90)),
        `2024-0${int(1, 9)}-${pad(int(1, 28))}`,
      ].join(","),
    );
  }
  const path = join(dir, "store-visits.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, people };
}
