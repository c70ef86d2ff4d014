/**
 * Facts of the DFINERY Import API that both the importer and the emulator rely on.
 * Source: ../shared/dfinery-api.md (the public API guide). Nothing here does I/O.
 */
import type { ExactNumber } from "../util/exact-number.js";

export const DEFAULT_ENDPOINT = "https://openapi.dfinery.ai";
export const PROFILE_PATH = "/api/v1/user-profile";
export const IDENTITIES_PATH = "/api/v1/identities";

/** The five identifiers DFINERY accepts; a request needs at least one. */
export const IDENTITY_FIELDS = [
  "external_id",
  "phone_no",
  "email",
  "kakao_user_id",
  "line_user_id",
] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type Identity = Partial<Record<IdentityField, string>>;

/** The API's data types, spelled as the docs and the console spell them. */
export const PROPERTY_TYPES = [
  "String",
  "Long",
  "Double",
  "Boolean",
  "Datetime",
  "Date",
  "Array of String",
  "Array of Long",
  "Array of Double",
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const GENDER_VALUES = ["Male", "Female", "NonBinary", "Other"] as const;

/** Properties registered in every DFINERY service, with their fixed types. */
export const STANDARD_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  df_name: "String",
  df_gender: "String",
  df_birth: "Date",
  df_membership: "String",
  df_push_optin: "Boolean",
  df_push_ads_optin: "Boolean",
  df_sms_ads_optin: "Boolean",
  df_kakao_ads_optin: "Boolean",
  df_push_night_ads_optin: "Boolean",
};

/** A profile's property values may not exceed this many bytes (UTF-8 of the JSON object). */
export const MAX_PROPERTIES_BYTES = 8 * 1024;

export type JsonScalar = string | number | boolean | null;
/** A Long beyond 2^53 is an ExactNumber: sent with its digits as written (exact-number.ts). */
export type PropertyValue =
  | JsonScalar
  | ExactNumber
  | readonly string[]
  | readonly (number | ExactNumber)[];
export type UserProperties = Record<string, PropertyValue>;

/** What one `POST /api/v1/user-profile` carries, without its request time. */
export interface ProfileUpdate {
  readonly identity: Identity;
  readonly user_properties: UserProperties;
}

export interface ProfileRequestBody extends ProfileUpdate {
  readonly request_datetime: string;
}

/** The body's `code` values the docs list. HTTP 200 can carry any of them. */
export const RESULT_CODES = {
  OK: "20000",
  BAD_REQUEST: "40000",
  VALIDATION_FAILURE: "40001",
  INVALID_SERVICE_ID: "40101",
  INVALID_TOKEN: "40201",
  TOO_MANY_REQUEST: "40401",
  TOO_MANY_EVENTS: "40402",
  TOO_MANY_USER_PROFILES: "40403",
  INTERNAL_SERVER_ERROR: "50000",
} as const;
export type ResultCodeName = keyof typeof RESULT_CODES;
export type ResultCode = (typeof RESULT_CODES)[ResultCodeName];

export interface ApiResponseBody {
  readonly status: boolean;
  readonly code: string;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * The rate-limit headers as the guide spells them: `hyphen` in its table, `nohyphen` in its curl
 * examples. Clients read both, in any case.
 */
export const RATE_LIMIT_HEADERS = {
  hyphen: ["X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"],
  nohyphen: ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"],
} as const;

/** `X-Rate-Limit-Reset` is seconds in the API guide and milliseconds in the help centre. */
export function resetToEpochMs(value: number): number {
  return value > 1e12 ? value : value * 1000;
}

/** Datetime values: `yyyy-MM-dd'T'HH:mm:ss(.SSS)Z`, always UTC. */
export const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
/** Date values: `yyyy-MM-dd`. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
