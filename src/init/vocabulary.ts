/**
 * Words exports use for categories the importer knows: consent (→ Boolean) and gender (→ DFINERY's
 * gender values), and the header words that hint at a standard or consent property. `init` writes
 * a `values` table from them and suggests the property in a comment; it never picks a consent
 * property on its own.
 */

/** Consent words the Boolean type does not read by itself. Keys compare trimmed, case-folded. */
export const CONSENT_WORDS: ReadonlyMap<string, boolean> = new Map([
  ["동의", true],
  ["미동의", false],
  ["비동의", false],
  ["동의안함", false],
  ["수신", true],
  ["수신함", true],
  ["수신안함", false],
  ["미수신", false],
  ["비수신", false],
  ["동의함", true],
  ["거부함", false],
  ["수신거부함", false],
  ["수신동의", true],
  ["수신거부", false],
  ["거부", false],
  ["허용", true],
  ["o", true],
  ["x", false],
  ["subscribed", true],
  ["unsubscribed", false],
  ["not_subscribed", false],
  ["opted_in", true],
  ["opted_out", false],
  ["opt-in", true],
  ["opt-out", false],
]);

export const GENDER_WORDS: ReadonlyMap<string, string> = new Map([
  ["남", "Male"],
  ["여", "Female"],
  ["남자", "Male"],
  ["여자", "Female"],
  ["남성", "Male"],
  ["여성", "Female"],
  ["m", "Male"],
  ["f", "Female"],
  ["male", "Male"],
  ["female", "Female"],
  ["other", "Other"],
  ["기타", "Other"],
  ["nonbinary", "NonBinary"],
  ["non-binary", "NonBinary"],
]);

/** Header words → the consent property it may be (suggested only). */
const CONSENT_HINTS: readonly [RegExp, string][] = [
  [/kakao|카카오|알림톡|친구톡/i, "df_kakao_ads_optin"],
  [/night|야간/i, "df_push_night_ads_optin"],
  [/sms|문자|mms/i, "df_sms_ads_optin"],
  [/push|푸시|앱/i, "df_push_ads_optin"],
];

const CONSENT_NAME = /agree|consent|optin|opt_in|opt-in|accepts?|marketing|수신|동의|광고/i;

/** The consent property a column of consent values may be, from its header (none for e-mail). */
export function consentSuggestion(column: string): string | undefined {
  for (const [hint, property] of CONSENT_HINTS) if (hint.test(column)) return property;
  if (/e-?mail|이메일|메일/i.test(column)) return undefined; // DFINERY has no e-mail consent property
  return "df_sms_ads_optin, df_push_ads_optin, df_kakao_ads_optin or df_push_night_ads_optin";
}

/** True when the header reads like a consent flag (so `1`/`0` are taken as Booleans). */
export function looksLikeConsent(column: string): boolean {
  return CONSENT_NAME.test(column);
}

export const BIRTH_NAME = /birth|생년월일|생일|출생/i;
export const NAME_NAME = /^(name|full ?name|customer ?name|user ?name|이름|성명|고객명|회원명)$/i;
export const TIME_NAME =
  /(_at|At|time|date|_ts|timestamp|일시|시간|날짜|일자|created|updated|login|seen)/i;

/** The spellings a table should list for a word seen: as written, lower, upper and capitalised. */
export function spellings(word: string): string[] {
  if (!/^[A-Za-z_-]+$/.test(word)) return [word];
  const lower = word.toLowerCase();
  return [
    ...new Set([word, lower, word.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)]),
  ];
}
