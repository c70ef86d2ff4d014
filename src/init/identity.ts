/**
 * Which columns hold DFINERY's identifiers, by meaning: the header (English and Korean) says whose
 * value it is, the values have the identifier's shape (e-mail syntax, phone numbers, member codes),
 * and an identity is the row's person's, so it is near-unique per row (or, in a file of orders or
 * events, repeats with the person). Every column weighed is kept with its evidence, the rejected
 * ones with why (`referrer_email`: someone else's; `store_phone`: the same in every row), so the
 * draft can say both, and `init` for events can reuse them.
 */
import type { IdentityField } from "../api/dfinery.js";
import { readsAs } from "../mapping/convert/phone-reads.js";
import type { Transform } from "../mapping/convert/transform.js";
import type { CountryColumn } from "./countries.js";
import { choosePhoneCountry, looksLikePhone, type PhoneCountryChoice } from "./phones.js";

export interface IdentityGuess {
  readonly field: IdentityField;
  readonly column: string;
  readonly transform: readonly Transform[];
  readonly evidence: string;
  /** phone_no: the country of its numbers without +country code. */
  readonly country?: PhoneCountryChoice;
}

/** Whose value a header names: the row's person, someone else, a thing, or it does not say. */
export type NameClass = "person" | "role" | "thing" | "neutral";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_NAME = /e-?mail|이메일|메일/i;
const PHONE_NAME = /phone|mobile|tel|cell|휴대|전화|연락처|핸드폰/i;
const MOBILE_NAME = /mobile|cell|휴대|핸드폰/i;
const ROLE =
  /referr|referral|recommend|manager|staff|employee|agent|admin|owner|seller|vendor|store|shop|merchant|partner|sender|assignee|추천인|담당자|매니저|직원|관리자|판매자|매장|상점|가맹점|발송인|수취인|받는분|수령인/i;
const THING =
  /order|주문(?!자)|product|상품|item|sku|coupon|쿠폰|event|insert|uuid|session|transaction|invoice|payment|결제|tracking|송장|배송|device|campaign|message|pseudo/i;
const PERSON_ID =
  /^(id|uid|userid|userno|usercode|memberid|memberno|membernumber|membercode|customerid|customerno|customernumber|clientid|accountid|externalid|distinctid|recordid|contactid|hsobjectid|buyerid|회원번호|회원id|회원아이디|아이디|고객번호|고객id|고객아이디|구매자id|구매자아이디|구매자번호|주문자id|주문자아이디)$/i;
/** A browser's or app's own id of the person (GA4's `user_pseudo_id`, Segment's `anonymous_id`). */
const DEVICE_PERSON_ID = /^(userpseudoid|anonymousid|anonymoususerid|visitorid)$/;
const PERSON_WORD = /user|member|customer|client|buyer|contact|person|회원|고객|구매자|주문자/i;
const MEMBER_ID = /^[A-Za-z]{1,6}[-_]?\d{3,}$/;

/** A header as compared: without spaces, `_`, `.`, `-` and `$`, lower-cased: `Record ID` → `recordid`. */
export const compactName = (column: string) => column.replace(/[\s_.$-]/g, "").toLowerCase();

/**
 * Whether a header names the id of the row's person, and how surely: `member` (a member's own id:
 * `user_id`, `Record ID`, `구매자ID`), `device` (an id a browser or app gave itself, in an event file
 * only: one person on two devices is two people); undefined: it does not. In a file of events or
 * order lines (`events`), a bare `id` is the event's or the line's own id, never a person's.
 */
export function personIdHeader(column: string, events = false): "member" | "device" | undefined {
  const name = compactName(column);
  if (events && name === "id") return undefined;
  if (PERSON_ID.test(name)) return "member";
  return events && DEVICE_PERSON_ID.test(name) ? "device" : undefined;
}

/** Whose value a header names (`manager_email`: someone else's; `상품주문번호`: a thing's). */
export function nameClass(column: string): NameClass {
  if (ROLE.test(column)) return "role";
  if (personIdHeader(column) === "member") return "person";
  if (THING.test(column)) return "thing";
  return PERSON_WORD.test(column) ? "person" : "neutral";
}

/** A column weighed as an identity field, with what its sample shows. */
export interface IdentityCandidate {
  readonly field: IdentityField;
  readonly column: string;
  readonly name: NameClass;
  /** Non-empty sample cells. */
  readonly filled: number;
  /** Distinct non-empty values. */
  readonly distinct: number;
  /** Share of the non-empty cells with the field's shape. */
  readonly shape: number;
  /** Why it is no identity; undefined when it may be one. */
  readonly rejected?: string;
}

type Cells = ReadonlyMap<string, readonly unknown[]>;

function texts(values: readonly unknown[]): string[] {
  return values.flatMap((v) =>
    typeof v === "string" && v.trim() !== ""
      ? [v.trim()]
      : typeof v === "number"
        ? [String(v)]
        : [],
  );
}

/** A column's cells as texts, row for row (undefined: not a text or number). */
const cellTexts = (values: readonly unknown[] = []) =>
  values.map((v) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined));

const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** Why a column cannot be a person's identity, whatever its shape; undefined if it may be. */
function notAPerson(column: string, name: NameClass, filled: number, distinct: number) {
  if (name === "role") return `${JSON.stringify(column)} names someone else than the row's person`;
  if (filled >= 2 && distinct === 1)
    return `${JSON.stringify(column)} holds one value in every row`;
  return undefined;
}

/**
 * Every column with an identifier's shape or name, weighed for `field`: e-mail, phone or member
 * id. `repeats`: the rows repeat people (a file of orders or events), so an identity may repeat.
 */
export function identityCandidates(
  field: "email" | "phone_no" | "external_id",
  columns: readonly string[],
  cells: Cells,
): IdentityCandidate[] {
  const out: IdentityCandidate[] = [];
  const rows = cells.get(columns[0] ?? "")?.length ?? 0;
  for (const column of columns) {
    const values = texts(cells.get(column) ?? []);
    if (values.length === 0) continue;
    const filled = values.length;
    const distinct = new Set(values).size;
    const name = nameClass(column);
    const share = (test: (v: string) => boolean) => values.filter(test).length / filled;
    let shape: number;
    if (field === "email") {
      shape = share((v) => EMAIL.test(v));
      if (!(shape >= 0.9 || (EMAIL_NAME.test(column) && shape >= 0.5))) continue;
    } else if (field === "phone_no") {
      if (values.some((v) => EMAIL.test(v))) continue;
      shape = share(looksLikePhone);
      if (!(shape >= 0.8 || (PHONE_NAME.test(column) && shape >= 0.5))) continue;
    } else {
      const named = name === "person" && personIdHeader(column) === "member";
      const idLike = /(id|no|number|code|번호|아이디)$/i.test(compactName(column));
      const byShape =
        filled === rows && distinct === rows && values.every((v) => MEMBER_ID.test(v));
      if (!named && !byShape && !(name === "thing" && idLike)) continue;
      shape = 1;
    }
    const thing =
      field === "external_id" && name === "thing"
        ? `${JSON.stringify(column)} names a thing (an order, an event, a device), not a person`
        : undefined;
    const masked =
      values.filter((v) => v.includes("**")).length >= filled / 2
        ? `${JSON.stringify(column)} is masked (${JSON.stringify(values.find((v) => v.includes("**")))}): several people share one value`
        : undefined;
    const rejected = thing ?? masked ?? notAPerson(column, name, filled, distinct);
    out.push({
      field,
      column,
      name,
      filled,
      distinct,
      shape,
      ...(rejected === undefined ? {} : { rejected }),
    });
  }
  return out;
}

export interface Identities {
  readonly found: readonly IdentityGuess[];
  /** Columns weighed and left out, with why: for the draft's comments. */
  readonly rejected: readonly IdentityCandidate[];
}

/**
 * The identity fields found, each with the column it reads and why; the rejected with why.
 * `events`: the rows are events, each person's repeating, so an e-mail or phone may repeat.
 */
export function findIdentities(
  columns: readonly string[],
  cells: Cells,
  countries?: CountryColumn,
  events = false,
): Identities {
  const found: IdentityGuess[] = [];
  const rejected: IdentityCandidate[] = [];
  const taken = new Set<string>();
  const weigh = (field: "email" | "phone_no" | "external_id") => {
    const all = identityCandidates(field, columns, cells).filter((c) => !taken.has(c.column));
    rejected.push(...all.filter((c) => c.rejected !== undefined));
    return all.filter((c) => c.rejected === undefined);
  };

  // The member id first: whether it repeats says whether the rows are people or their orders.
  const ids = weigh("external_id").sort(
    (a, b) =>
      Number(PERSON_WORD.test(b.column)) - Number(PERSON_WORD.test(a.column)) ||
      b.distinct / b.filled - a.distinct / a.filled,
  );
  const id = ids[0];
  const repeats = id !== undefined && id.distinct < id.filled * 0.9;
  if (id !== undefined) {
    taken.add(id.column);
    const named = personIdHeader(id.column) === "member";
    found.push({
      field: "external_id",
      column: id.column,
      transform: [],
      evidence: named
        ? `a person's id by its name; ${id.distinct} distinct in ${id.filled} sample cells${repeats ? " (it repeats: each row is one of the person's orders or events)" : ""}`
        : "member ids by their shape: a code in every sample row, none twice",
    });
  }
  // An e-mail or phone column is the row's person's: near-unique per row, or repeating with the id.
  const personal = (c: IdentityCandidate): string | undefined => {
    if (c.distinct >= c.filled * 0.9 || events) return undefined;
    if (repeats && id !== undefined && c.distinct >= id.distinct * 0.8) return undefined;
    return `${JSON.stringify(c.column)}: ${c.distinct} distinct values in ${c.filled} rows, not one person a row`;
  };
  const pick = (
    candidates: readonly IdentityCandidate[],
    rank: (c: IdentityCandidate) => number,
  ) => {
    const kept = candidates.filter((c) => {
      const why = personal(c);
      if (why !== undefined) rejected.push({ ...c, rejected: why });
      return why === undefined;
    });
    return kept.sort((a, b) => rank(b) - rank(a))[0];
  };
  const named = (c: IdentityCandidate) => (c.name === "person" ? 1 : 0);

  const email = pick(weigh("email"), (c) => named(c) * 2 + c.shape);
  if (email !== undefined) {
    taken.add(email.column);
    found.push({
      field: "email",
      column: email.column,
      transform: ["trim", "lowercase"],
      evidence: `${pct(email.shape)} of the sample cells are e-mail addresses, ${email.distinct} distinct`,
    });
  }

  // A column shaped as phone numbers that no country reads is no phone column, unless named one.
  const countryOf = new Map<string, PhoneCountryChoice>();
  const phones = weigh("phone_no").filter((c) => {
    const country = choosePhoneCountry(cellTexts(cells.get(c.column)), countries);
    countryOf.set(c.column, country);
    if (country.kind !== "todo" || PHONE_NAME.test(c.column)) return true;
    rejected.push({ ...c, rejected: `${JSON.stringify(c.column)}: ${country.evidence}` });
    return false;
  });
  const phone = pick(
    phones,
    (c) =>
      named(c) * 4 +
      (MOBILE_NAME.test(c.column) ? 2 : 0) +
      (PHONE_NAME.test(c.column) ? 1 : 0) +
      c.shape,
  );
  if (phone !== undefined) {
    const values = cellTexts(cells.get(phone.column));
    const country = countryOf.get(phone.column) as PhoneCountryChoice;
    const apostrophe = values.some((v) => v?.trim().startsWith("'") === true);
    const readable =
      country.kind === "code"
        ? values.filter((v) => v !== undefined && v.trim() !== "" && readsAs(v, country.code))
            .length
        : undefined;
    taken.add(phone.column);
    found.push({
      field: "phone_no",
      column: phone.column,
      transform: apostrophe ? [{ strip_prefix: "'" }, "phone"] : ["phone"],
      country,
      evidence: `${pct(phone.shape)} of the sample cells are shaped as phone numbers${readable === undefined ? "" : `, ${readable}/${phone.filled} valid`}${apostrophe ? "; Excel's ' before some is stripped" : ""}`,
    });
  }
  return { found, rejected };
}
