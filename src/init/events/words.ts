/**
 * The words event exports use, in English and Korean: headers of the event name, its time, its id
 * and its order (the person's are identity.ts's), and the headers and event names that mean DFINERY's standard `df_`
 * events, event properties and item properties. A header is compared by its last path segment,
 * case-folded, without spaces, `_`, `-`, `.` and `$` (`구매자ID` → `구매자id`, `$insert_id` → `insertid`).
 */
import type { STANDARD_EVENTS } from "../../api/events.js";
import { compactName } from "../identity.js";

type StandardEvent = (typeof STANDARD_EVENTS)[number];

/** The header as compared: `event_properties.Product ID` → `productid`. */
export function headerKey(column: string): string {
  return compactName(labelOf(column));
}

/** A column's own name: a key/value pair's key (`event_params[key=value].value.double_value` → `value`), else the path's last segment. */
export function labelOf(column: string): string {
  const key = /\[key=([^\]]+)\]/.exec(column)?.[1];
  return key ?? column.split(".").at(-1) ?? column;
}

export const EVENT_NAME_HEADER =
  /^(eventname|eventtype|event|eventaction|action|이벤트|이벤트명|이벤트이름|이벤트유형)$/;

/** The event's own id, one per event (Amplitude's `$insert_id` and `uuid`, `event_uuid`). */
export const EVENT_ID_HEADER = /^(eventuuid|uuid|insertid|eventid|eventlogid|messageid)$/;

/** An order's id: the column that groups an order's lines (CSV) and df_order_id. */
export const ORDER_ID_HEADER =
  /^(orderid|orderno|ordernumber|ordercode|transactionid|주문번호|주문id|주문코드)$/;

/** When the event happened, best first; times of uploads and changes are not the event's. */
export const EVENT_TIME_HEADER =
  /^(eventtime|eventtimestamp|eventdatetime|timestamp|time|datetime|occurredat|createdat|orderdate|orderedat|ordertime|주문일시|주문일자|주문시간|결제일시|결제일|발생일시|일시)$/;
export const NOT_EVENT_TIME =
  /upload|received|processed|updated|modified|server|배송|발송|수정|정산|취소|환불|반품|birth|생년/i;

/** A status column's words for orders that did not happen (a `where` is suggested, never written). */
export const CANCELLED =
  /^(취소|취소완료|주문취소|반품|반품완료|환불|환불완료|cancel(l?ed)?|refunded|returned)$/i;

const EVENT_WORDS: readonly (readonly [StandardEvent, readonly string[]])[] = [
  [
    "df_purchase",
    [
      "purchase",
      "ordercompleted",
      "completedorder",
      "checkoutcompleted",
      "order",
      "구매",
      "구매완료",
      "주문",
      "주문완료",
      "결제",
      "결제완료",
    ],
  ],
  ["df_refund", ["refund", "orderrefunded", "refunded", "환불", "환불완료"]],
  [
    "df_sign_up",
    ["signup", "signedup", "register", "registration", "completeregistration", "회원가입", "가입"],
  ],
  ["df_login", ["login", "signin", "loggedin", "로그인"]],
  ["df_logout", ["logout", "signout", "loggedout", "로그아웃"]],
  ["df_add_to_cart", ["addtocart", "productadded", "addedtocart", "장바구니담기", "장바구니추가"]],
  ["df_remove_cart", ["removefromcart", "removecart", "productremoved", "장바구니삭제"]],
  ["df_view_cart", ["viewcart", "cartviewed", "장바구니보기", "장바구니조회"]],
  [
    "df_add_to_wishlist",
    ["addtowishlist", "productaddedtowishlist", "wishlist", "찜", "찜하기", "관심상품등록"],
  ],
  ["df_view_home", ["viewhome", "homeviewed", "homeview", "홈조회"]],
  [
    "df_view_product_details",
    ["viewitem", "viewproduct", "productviewed", "viewproductdetails", "상품조회", "상품상세조회"],
  ],
  ["df_view_list", ["viewitemlist", "viewlist", "productlistviewed", "상품목록조회"]],
  [
    "df_view_search_result",
    ["search", "viewsearchresults", "viewsearchresult", "productssearched", "검색"],
  ],
  ["df_share_product", ["share", "productshared", "shareproduct", "공유"]],
  ["df_add_payment_info", ["addpaymentinfo", "paymentinfoentered", "결제정보입력"]],
];
const EVENT_BY_WORD: ReadonlyMap<string, StandardEvent> = new Map(
  EVENT_WORDS.flatMap(([event, words]) => [
    [event.replace(/_/g, ""), event] as const,
    ...words.map((w) => [w, event] as const),
  ]),
);

/** The standard event an event name in an export means, if it is one. */
export function standardEvent(name: string): StandardEvent | undefined {
  return EVENT_BY_WORD.get(compactName(name));
}

/** Event-level headers (GA4 parameter keys too) → the standard event property they mean. */
export const EVENT_PROPERTY_WORDS: readonly (readonly [RegExp, string])[] = [
  [ORDER_ID_HEADER, "df_order_id"],
  [
    /^(total|totalprice|ordertotal|totalamount|ordertotalamount|revenue|value|paymentamount|paidamount|결제금액|총결제금액|최종결제금액|실결제금액|주문금액|총주문금액)$/,
    "df_total_purchase_amount",
  ],
  [/^(paymentmethod|paymenttype|결제수단|결제방법|결제방식)$/, "df_payment_method"],
  [
    /^(shipping|shippingfee|shippingcost|deliveryfee|deliverycharge|배송비|배송비합계)$/,
    "df_delivery_charge",
  ],
  [/^(refundamount|totalrefund|totalrefundamount|환불금액)$/, "df_total_refund_amount"],
  [/^(keyword|searchterm|searchkeyword|검색어|키워드)$/, "df_keyword"],
  [/^(signchannel|signupmethod|signupchannel|가입경로|가입채널)$/, "df_sign_channel"],
  [/^(sharingchannel|sharechannel|공유채널)$/, "df_sharing_channel"],
];

/** A line's total (varying within an order): summed, it is the order's df_total_purchase_amount. */
export const LINE_TOTAL =
  /(총|합계|최종).*(금액|가격)|^(linetotal|itemtotal|total|amount|totalprice|subtotal|totalamount)$/;

/** Item-level headers → the standard item property they mean. */
export const ITEM_PROPERTY_WORDS: readonly (readonly [RegExp, string])[] = [
  [
    /^(itemid|productid|productno|sku|productcode|itemcode|goodsno|goodscode|상품번호|상품코드|상품id|제품번호|제품코드|품번)$/,
    "df_item_id",
  ],
  [/^(itemname|productname|name|title|상품명|제품명|품명)$/, "df_item_name"],
  [
    /^(price|unitprice|itemprice|productprice|saleprice|상품가격|판매가|판매가격|단가|가격)$/,
    "df_price",
  ],
  [/^(quantity|qty|quantities|수량|주문수량|구매수량)$/, "df_quantity"],
  [
    /^(discount|discountamount|itemdiscount|할인|할인금액|할인액|상품할인|상품별할인액|최종상품별할인액)$/,
    "df_discount",
  ],
  [/^(category|itemcategory|category1|itemcategory1|카테고리|분류|대분류)$/, "df_category1"],
  [/^(category2|itemcategory2|중분류)$/, "df_category2"],
  [/^(category3|itemcategory3|소분류)$/, "df_category3"],
  [/^(category4|itemcategory4)$/, "df_category4"],
  [/^(category5|itemcategory5)$/, "df_category5"],
];

/** The standard property a header means, from `words`, unless `taken` already has it. */
export function meaningOf(
  column: string,
  words: readonly (readonly [RegExp, string])[],
  taken: ReadonlySet<string>,
): string | undefined {
  const key = headerKey(column);
  return words.find(([pattern, name]) => pattern.test(key) && !taken.has(name))?.[1];
}
