/**
 * Canonical JSON: the same data always gives the same text, whatever the order its object keys
 * were written in. Object keys are sorted (UTF-16 code-unit order) at every depth; arrays keep
 * their order. Beyond JSON: a Map becomes its entries sorted by canonical key, a Set its members
 * sorted, a Date its ISO text, a bigint its digits; functions, symbols and undefined are left out
 * of objects as JSON.stringify leaves them out (a compiled mapping's functions are derived from
 * the data beside them, which is hashed). Non-finite numbers are written as null, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? "null";
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return `"${value}n"`;
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => write(v) ?? "null").join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [canonicalJson(k), write(v) ?? "null"] as const);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{"$map":[${entries.map(([k, v]) => `[${k},${v}]`).join(",")}]}`;
  }
  if (value instanceof Set) {
    const members = [...value].map((v) => canonicalJson(v)).sort();
    return `{"$set":[${members.join(",")}]}`;
  }
  return writeObject(value as Record<string, unknown>);
}

function writeObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort();
  let out = "{";
  for (const key of keys) {
    const text = write(object[key]);
    if (text === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
}
