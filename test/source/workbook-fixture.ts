/**
 * A members workbook as Korean Excel saves it: a hidden settings sheet first, then 회원 (members)
 * and orders. Text in the shared strings (one with a phonetic guide), dates in built-in and
 * custom formats, a formula with its cached number, one with a cached date, one with a cached
 * error, one with a cached text, a rich inline string, a boolean, a time of day, a number too
 * long for a double, empty cells, a missing row, a styled empty row and a value right of the
 * header. Each test reads it (or the run sends it) and checks every value.
 */
import { writeWorkbook } from "../../bench/xlsx-file.js";

const strings: string[] = [];
/** A shared string cell's index. */
function s(text: string): number {
  const at = strings.indexOf(text);
  if (at !== -1) return at;
  strings.push(text);
  return strings.length - 1;
}

const text = (ref: string, value: string) => `<c r="${ref}" t="s"><v>${s(value)}</v></c>`;
const num = (ref: string, value: string | number, style?: number) =>
  `<c r="${ref}"${style === undefined ? "" : ` s="${style}"`}><v>${value}</v></c>`;

// Cell styles by index (0 is the default): their number formats.
const STYLES = [14, 164, 165, 166, 20];
const DATE = 1; // built-in 14: the locale's short date
const DATETIME = 2; // yyyy-mm-dd hh:mm:ss
const KOREAN_DATE = 3; // yyyy"년" m"월" d"일"
const THOUSANDS = 4; // #,##0: a number, not a date
const TIME = 5; // built-in 20: h:mm

/** The members sheet's header row. */
export const HEADER = [
  "user_id",
  "이름",
  "points",
  "joined",
  "last_seen",
  "total",
  "memo",
  "phone",
  "agree",
  "visit",
];
const COLS = "ABCDEFGHIJ";

function members(date1904: boolean): string[] {
  // The same days in either date system: 1904's serial numbers are 1,462 days smaller.
  const day = (serial: number) => (date1904 ? serial - 1462 : serial);
  const header = HEADER.map((name, i) => text(`${COLS[i]}1`, name)).join("");
  return [
    `<row r="1" spans="1:10" x14ac:dyDescent="0.3">${header}</row>`,
    `<row r="2" spans="1:10" x14ac:dyDescent="0.3">${[
      text("A2", "u1"),
      text("B2", "김철수"),
      num("C2", 1500, THOUSANDS),
      num("D2", day(45352), DATE),
      num("E2", day(45352.375), DATETIME),
      `<c r="F2"><f>C2*2</f><v>3000</v></c>`,
      `<c r="G2" t="inlineStr"><is><r><t>첫 줄_x000D_</t></r><r><rPr><b/></rPr><t xml:space="preserve">
둘째 &amp; "셋째"</t></r></is></c>`,
      num("H2", 1012345678),
      `<c r="I2" t="b"><v>1</v></c>`,
      num("J2", 0.5, TIME),
    ].join("")}</row>`,
    `<row r="3" spans="1:10">${[
      text("A3", "u2"),
      text("B3", "이영희"),
      `<c r="C3" s="${THOUSANDS}"/>`,
      num("D3", day(45353), KOREAN_DATE),
      `<c r="E3" s="${DATETIME}"><f>D3+0.5</f><v>${day(45353.5)}</v></c>`,
      `<c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c>`,
      `<c r="G3" t="str"><f>"메모 "&amp;B3</f><v>메모 이영희</v></c>`,
      num("H3", "12345678901234567890"),
      `<c r="I3" t="b"><v>0</v></c>`,
    ].join("")}</row>`,
    // row 4 is empty: Excel writes no element for it
    `<row r="5">${text("A5", "u3")}<c r="B5" t="s"><v>${s("山田")}</v></c>${num("C5", 0.1)}</row>`,
    `<row r="6" s="${THOUSANDS}" customFormat="1"><c r="A6" s="${THOUSANDS}"/></row>`,
    `<row r="7">${text("A7", "u4")}${text("K7", "메모 칸 밖")}</row>`,
  ];
}

function orders(): string[] {
  return [
    `<row r="1">${text("A1", "order_id")}${text("B1", "amount")}</row>`,
    `<row r="2">${text("A2", "o-1")}${num("B2", 12.5)}</row>`,
  ];
}

/** Writes the workbook to `path` (a .xlsx, or any name: the bytes are what they are). */
export async function writeMembersWorkbook(path: string, date1904 = false): Promise<void> {
  strings.length = 0;
  const sheets = [
    { name: "설정", rows: [`<row r="1">${text("A1", "key")}</row>`], state: "hidden" as const },
    { name: "회원", rows: members(date1904) },
    { name: "orders", rows: orders() },
  ];
  // 山田 with its phonetic guide (rPh), as Japanese Excel stores names.
  const phonetic = strings.indexOf("山田");
  const shared = strings.map((t, i) =>
    i === phonetic
      ? { xml: '<t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/>' }
      : t,
  );
  await writeWorkbook(path, {
    sheets,
    strings: shared,
    numFmts: { 164: "yyyy-mm-dd hh:mm:ss", 165: 'yyyy"년" m"월" d"일"', 166: "#,##0" },
    styles: STYLES,
    date1904,
  });
}
