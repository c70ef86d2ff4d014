/**
 * A PostgreSQL array literal, as `COPY … TO` writes an array column (text or CSV format, once the
 * file's own escapes are read): `{a,b}`, `{"Seoul, KR","new user"}` (two elements), `{NULL,x}`
 * (NULL unquoted, any case, is no element), `{"a \"b\" \\ c"}`, `{}` (empty). Whitespace around an
 * unquoted element is not part of it, as in PostgreSQL. Arrays of arrays and explicit bounds
 * (`[0:1]={a,b}`) are not lists of values: refused.
 */

/** The elements (null for NULL), or what is wrong with the literal. */
export function parsePgArray(text: string): (string | null)[] | { readonly problem: string } {
  const body = text.trim();
  if (!body.startsWith("{") || !body.endsWith("}")) {
    return { problem: "is not a PostgreSQL array literal ({…})" };
  }
  const out: (string | null)[] = [];
  let i = 1;
  const end = body.length - 1;
  if (body.slice(1, end).trim() === "") return out;
  for (;;) {
    while (i < end && isSpace(body.charCodeAt(i))) i++;
    if (body[i] === "{") return { problem: "is an array of arrays, not a list of values" };
    let element = "";
    let quoted = false;
    if (body[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= end) return { problem: "has a quote that is not closed" };
        const c = body[i] as string;
        if (c === '"') break;
        if (c === "\\") {
          i++;
          if (i >= end) return { problem: "ends with a backslash" };
        }
        element += body[i];
        i++;
      }
      i++;
      while (i < end && isSpace(body.charCodeAt(i))) i++;
    } else {
      while (i < end && body[i] !== ",") {
        const c = body[i] as string;
        if (c === '"' || c === "{" || c === "}") {
          return { problem: `has ${JSON.stringify(c)} inside an unquoted element` };
        }
        if (c === "\\") {
          i++;
          if (i >= end) return { problem: "ends with a backslash" };
        }
        element += body[i];
        i++;
      }
      element = element.trim();
      if (element === "") return { problem: 'has an empty element (PostgreSQL writes it as "")' };
    }
    out.push(!quoted && element.toUpperCase() === "NULL" ? null : element);
    if (i >= end) return out;
    if (body[i] !== ",")
      return { problem: `has ${JSON.stringify(body[i])} after a quoted element` };
    i++;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}
