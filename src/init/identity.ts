/**
 * Which columns hold DFINERY's identifiers, from header names (English and Korean) and from the
 * shape of the values: e-mail syntax, Korean mobile numbers, member ids.
 */
import type { IdentityField } from "../api/dfinery.js";
import { makePhoneNormalizer } from "../mapping/convert/phone.js";
import type { Transform } from "../mapping/convert/transform.js";

export interface IdentityGuess {
  readonly field: IdentityField;
  readonly column: string;
  readonly transform: readonly Transform[];
  readonly evidence: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_NAME = /e-?mail|이메일|메일/i;
const PHONE_NAME = /phone|mobile|tel|cell|휴대|전화|연락처|핸드폰/i;
const ID_NAME =
  /^(id|uid|userid|memberid|memberno|customerid|customerno|clientid|accountid|externalid|회원번호|회원id|회원아이디|아이디|고객번호|고객id)$/i;

const MEMBER_ID = /^[A-Za-z]{1,6}[-_]?\d{3,}$/;

const normalName = (column: string) => column.replace(/[\s_.-]/g, "").toLowerCase();

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

/** The identity fields found, each with the column it reads and why. */
export function findIdentities(columns: readonly string[], cells: Cells): IdentityGuess[] {
  const found: IdentityGuess[] = [];
  const taken = new Set<string>();
  const best = (score: (column: string, values: string[]) => number) => {
    let pick: { column: string; share: number } | undefined;
    for (const column of columns) {
      if (taken.has(column)) continue;
      const values = texts(cells.get(column) ?? []);
      if (values.length === 0) continue;
      const share = score(column, values);
      if (share > (pick?.share ?? 0)) pick = { column, share };
    }
    return pick;
  };

  const email = best((column, values) => {
    const share = values.filter((v) => EMAIL.test(v)).length / values.length;
    return share >= 0.9 || (EMAIL_NAME.test(column) && share >= 0.5) ? share : 0;
  });
  if (email !== undefined) {
    taken.add(email.column);
    found.push({
      field: "email",
      column: email.column,
      transform: ["trim", "lowercase"],
      evidence: `${pct(email.share)} of the sample cells are e-mail addresses`,
    });
  }

  const phone = makePhoneNormalizer("KR");
  const phoneShare = (values: string[]) =>
    values.filter((v) => typeof phone(v.replace(/^'/, "")) === "string").length / values.length;
  const mobile = best((column, values) => {
    if (values.some((v) => EMAIL.test(v))) return 0;
    const mobiles =
      values.filter((v) => /^'?(\+?82[- ]?1|01)[016789]/.test(v)).length / values.length;
    if (mobiles < 0.5 && !PHONE_NAME.test(column)) return 0;
    const share = phoneShare(values);
    return share >= 0.8 ? share : 0;
  });
  if (mobile !== undefined) {
    taken.add(mobile.column);
    const apostrophe = texts(cells.get(mobile.column) ?? []).some((v) => v.startsWith("'"));
    found.push({
      field: "phone_no",
      column: mobile.column,
      transform: apostrophe ? [{ strip_prefix: "'" }, "phone"] : ["phone"],
      evidence: `${pct(mobile.share)} of the sample cells are phone numbers (country KR unless written with +)${apostrophe ? "; Excel's ' before some is stripped" : ""}`,
    });
  }

  const id = best((column, values) => {
    if (!ID_NAME.test(normalName(column))) return 0;
    return new Set(values).size / values.length;
  });
  // Else by shape: a code in every row, none twice (M000123, u_100042, CUST-0042).
  const rows = cells.get(columns[0] ?? "")?.length ?? 0;
  const byShape =
    id ??
    best((_column, values) =>
      values.length === rows &&
      new Set(values).size === rows &&
      values.every((v) => MEMBER_ID.test(v))
        ? 1
        : 0,
    );
  if (byShape !== undefined) {
    found.push({
      field: "external_id",
      column: byShape.column,
      transform: [],
      evidence:
        id === undefined
          ? "member ids by their shape: a code in every sample row, none twice"
          : `a member id by its name; ${pct(byShape.share)} of the sample cells are distinct`,
    });
  }
  return found;
}

const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;
