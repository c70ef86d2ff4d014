/**
 * Files shaped like real exports, for `init`: a Korean Excel CSV in CP949, a Shopify customer
 * export, an app backend's NDJSON and a Google Sheets (Forms) US export. Each has a few rows that
 * are invalid on purpose (`invalid` lists their indexes), so a test can tell the valid ones.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { seededRandom } from "../../bench/seeded-random.js";

export interface Export {
  readonly path: string;
  readonly rows: number;
  /** Indexes (0-based) of the rows that are invalid on purpose. */
  readonly invalid: ReadonlySet<number>;
}

export const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function tools(seed: number) {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  return { random, int, pick };
}

const FAMILY = ["김", "이", "박", "최", "정", "강"];
const GIVEN = ["민준", "서연", "지호", "하윤", "도윤", "은지"];

// Mobiles are drawn from 010-2000 to 010-5899: 010-5970 to 010-5999 are not allocated, and the
// phone transform (libphonenumber's max metadata) refuses them.
export function koreanExcel(dir: string, rows = 300): Export {
  const { random, int, pick } = tools(1);
  const invalid = new Set<number>();
  const lines = [
    "회원번호,이름,성별,생년월일,휴대폰번호,이메일,가입일시,최근접속일시,SMS수신동의,이메일수신,포인트,누적구매금액,등급",
  ];
  for (let i = 0; i < rows; i++) {
    const bad = i % 37 === 5;
    if (bad) invalid.add(i);
    const phone = bad
      ? "010-12"
      : `${random() < 0.1 ? "'" : ""}010-${int(2000, 5899)}-${pad(int(0, 9999), 4)}`;
    const h = int(1, 12);
    lines.push(
      [
        `M${pad(i + 1, 6)}`,
        pick(FAMILY) + pick(GIVEN),
        pick(["남", "여"]),
        `${int(1950, 2005)}. ${int(1, 12)}. ${int(1, 28)}.`,
        phone,
        `user${i}@example.co.kr`,
        `2024-${pad(int(1, 12))}-${pad(int(1, 28))} ${pick(["오전", "오후"])} ${h}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
        `2024. ${int(1, 12)}. ${int(1, 28)}. ${pick(["오전", "오후"])} ${h}:${pad(int(0, 59))}`,
        pick(["동의", "미동의"]),
        pick(["수신", "수신거부"]),
        `"${int(1, 9)},${pad(int(0, 999), 3)}"`,
        `"￦${int(1, 9)},${pad(int(0, 999), 3)},${pad(int(0, 999), 3)}"`,
        pick(["VIP", "GOLD", "SILVER"]),
      ].join(","),
    );
  }
  const path = join(dir, "members.csv");
  writeFileSync(path, iconv.encode(`${lines.join("\r\n")}\r\n`, "cp949"));
  return { path, rows, invalid };
}

export function shopify(dir: string, rows = 200): Export {
  const { random, int, pick } = tools(2);
  const invalid = new Set<number>();
  const lines = [
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address City,Default Address Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags,Created At",
  ];
  for (let i = 0; i < rows; i++) {
    const bad = i % 41 === 7;
    if (bad) invalid.add(i);
    const phone = bad
      ? "+82 12"
      : random() < 0.2
        ? ""
        : `${random() < 0.3 ? "'" : ""}+8210${int(2000, 5899)}${pad(int(0, 9999), 4)}`;
    lines.push(
      [
        String(7_100_000_000_000 + i),
        pick(["Minjun", "Seoyeon", "Ana", "John"]),
        pick(["Kim", "Lee", "Park", "Smith"]),
        `customer${i}@shop.example`,
        pick(["yes", "no"]),
        random() < 0.5 ? "" : pick(["Hanbit Co.", "Acme"]),
        pick(["Seoul", "Busan", "Incheon"]),
        pad(int(1000, 63000), 5),
        phone,
        pick(["yes", "no"]),
        `${int(0, 9_999_999)}.${pad(int(0, 99))}`,
        String(int(0, 40)),
        "",
        pick(["yes", "no"]),
        `"${pick(["vip", "newsletter", "wholesale"])}, ${pick(["kr", "repeat"])}"`,
        `2024-${pad(int(1, 12))}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))} +0900`,
      ].join(","),
    );
  }
  const path = join(dir, "customers_export.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, invalid };
}

export function appNdjson(dir: string, rows = 200): Export {
  const { random, int, pick } = tools(3);
  const invalid = new Set<number>();
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const bad = i % 43 === 9;
    if (bad) invalid.add(i);
    lines.push(
      JSON.stringify({
        user: {
          id: `u_${100_000 + i}`,
          email: `app${i}@example.com`,
          phone: bad ? "+82 10-1" : `+82 10-${int(2000, 5899)}-${pad(int(0, 9999), 4)}`,
        },
        profile: {
          name: `${pick(FAMILY)}${pick(GIVEN)}`,
          gender: pick(["M", "F"]),
          birthday: `${int(1960, 2005)}-${pad(int(1, 12))}-${pad(int(1, 28))}`,
        },
        created_at: 1_600_000_000_000 + int(0, 100_000_000_000),
        last_login: 1_650_000_000 + int(0, 50_000_000),
        push_enabled: random() < 0.5,
        marketing: { push: random() < 0.5, sms: random() < 0.5 },
        points: int(0, 50_000),
        tags: [pick(["game", "music"]), pick(["ios", "android"])],
        plan: pick(["free", "pro"]),
      }),
    );
  }
  const path = join(dir, "users.ndjson");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, invalid };
}

/** Area codes in use (libphonenumber's metadata refuses unassigned ones). */
export const US_AREAS = [212, 310, 415, 617, 646, 718, 202, 312, 503, 206];

export function googleSheetsUs(dir: string, rows = 200): Export {
  const { int, pick } = tools(4);
  const invalid = new Set<number>();
  const lines = [
    "Timestamp,Email Address,Full Name,Phone Number,Date of Birth,Signup Date,Newsletter,Country,Score",
  ];
  for (let i = 0; i < rows; i++) {
    const bad = i % 47 === 11;
    if (bad) invalid.add(i);
    lines.push(
      [
        `${int(1, 12)}/${int(1, 28)}/2024 ${int(0, 23)}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
        bad ? "" : `form${i}@example.org`,
        `${pick(["Ana", "John", "Mia"])} ${pick(["Smith", "Jones"])}`,
        `(${pick(US_AREAS)}) ${int(2, 9)}${int(2, 9)}${int(0, 9)}-${pad(int(0, 9999), 4)}`,
        `${int(1, 12)}/${int(1, 28)}/${int(1950, 2005)}`,
        `${int(1, 12)}/${int(1, 28)}/2024`,
        pick(["Yes", "No"]),
        "US",
        `${int(0, 100)}.${int(0, 9)}`,
      ].join(","),
    );
  }
  const path = join(dir, "Form Responses 1.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows, invalid };
}
