/**
 * The event endpoint, `POST /api/v1/events`, and every choice we made where the API guide is
 * silent (../shared/dfinery-api.md, "Event endpoint"). Both the importer and the emulator follow
 * these; docs/api-notes.md ("Events") lists them for users, docs/events.md tells the rest. Nothing here does I/O.
 *
 * Undocumented points, and what we chose:
 *  - Key names. `common`, `events`, `event_log_id`, `event_name`, `event_datetime`,
 *    `event_items`, `event_properties` are read from the guide's section headings, not from a
 *    published example.
 *  - Required fields. We always send `event_log_id`, `event_name`, `event_datetime` and
 *    `event_properties` (`{}` when the mapping has none); `event_items` only when the event has
 *    items. The emulator requires the first three and `common.identity`.
 *  - One bad event. A request with one invalid event is assumed refused whole (40001, nothing
 *    stored): the importer finds the bad events by re-sending halves.
 *  - Too many items. Over 100 items in one request is answered like over 100 events, 40402: both
 *    are the client's batching at fault.
 *  - Repeated ids. Whether DFINERY de-duplicates a repeated `event_log_id` is not said: ids are
 *    deterministic (a name-based UUID, see event-id.ts) so that a re-send is the same event and can
 *    be de-duplicated if DFINERY does; identical events of one file get distinct ids (the n-th is
 *    named with n, event-ids.ts), so none is lost if it does. The emulator stores a repeat and
 *    counts it as a duplicate.
 */

import type { Identity, PropertyType, PropertyValue } from "./dfinery.js";

export const EVENTS_PATH = "/api/v1/events";

/** At most this many events, and this many items over all its events, per request. */
export const MAX_EVENTS_PER_REQUEST = 100;
export const MAX_ITEMS_PER_REQUEST = 100;

/** The default limit of the event endpoint: requests per minute per service. */
export const EVENT_REQUESTS_PER_MINUTE = 1_000_000;

export type EventProperties = Record<string, PropertyValue>;
export type EventItem = Record<string, PropertyValue>;

/** One element of `events`, in the key order we send. */
export interface EventRecord {
  readonly event_log_id: string;
  readonly event_name: string;
  readonly event_datetime: string;
  readonly event_properties: EventProperties;
  readonly event_items?: readonly EventItem[];
}

export interface EventsRequestBody {
  readonly common: { readonly identity: Identity };
  readonly events: readonly EventRecord[];
}

/** The keys of a request body and of one event, as the emulator checks them. */
export const EVENTS_BODY_FIELDS = ["common", "events"] as const;
export const COMMON_FIELDS = ["identity"] as const;
export const EVENT_FIELDS = [
  "event_log_id",
  "event_name",
  "event_datetime",
  "event_properties",
  "event_items",
] as const;
export const REQUIRED_EVENT_FIELDS = ["event_log_id", "event_name", "event_datetime"] as const;

/** A UUID in its canonical text form (any version), as `event_log_id` takes it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Standard event names, from DFINERY's web SDK documentation. */
export const STANDARD_EVENTS = [
  "df_sign_up",
  "df_login",
  "df_logout",
  "df_purchase",
  "df_refund",
  "df_add_to_cart",
  "df_remove_cart",
  "df_view_cart",
  "df_add_to_wishlist",
  "df_view_home",
  "df_view_product_details",
  "df_view_list",
  "df_view_search_result",
  "df_share_product",
  "df_add_payment_info",
] as const;

/**
 * Standard event and item properties. The SDK documentation names them without types; these are
 * the types its examples use (amounts and prices as numbers with decimals, quantity whole).
 */
export const STANDARD_EVENT_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  df_order_id: "String",
  df_payment_method: "String",
  df_total_purchase_amount: "Double",
  df_delivery_charge: "Double",
  df_total_refund_amount: "Double",
  df_sharing_channel: "String",
  df_sign_channel: "String",
  df_keyword: "String",
};

export const STANDARD_ITEM_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  df_item_id: "String",
  df_item_name: "String",
  df_price: "Double",
  df_quantity: "Long",
  df_discount: "Double",
  df_category1: "String",
  df_category2: "String",
  df_category3: "String",
  df_category4: "String",
  df_category5: "String",
};
