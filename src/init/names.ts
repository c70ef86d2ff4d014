/**
 * A suggested `df_name` from a file's name columns, in the order the names are written: given
 * name first under English headers (`First Name`, `Last Name`: HubSpot, Shopify), family name
 * first and no space between under Korean ones (`성`, `이름`: 김민준), or when the given names are
 * Hangul.
 */
const LAST = /^(last ?name|surname|family ?name|성)$/i;
const FIRST = /^(first ?name|given ?name|이름)$/i;
const HANGUL = /[\uAC00-\uD7A3]/;

export function nameTemplate(
  columns: readonly string[],
  cells: ReadonlyMap<string, readonly unknown[]>,
): { nameTemplate?: { template: string; evidence: string } } {
  const last = columns.find((c) => LAST.test(c.trim()));
  const first = columns.find((c) => FIRST.test(c.trim()));
  if (last === undefined || first === undefined) return {};
  if (/[{}]/.test(last + first)) return {};
  const given = (cells.get(first) ?? []).filter((v) => typeof v === "string" && v.trim() !== "");
  const korean =
    HANGUL.test(first + last) ||
    given.filter((v) => HANGUL.test(v as string)).length > given.length / 2;
  return {
    nameTemplate: korean
      ? {
          template: `{${last}}{${first}}`,
          evidence: "family name first, as Korean names are written",
        }
      : {
          template: `{${first}} {${last}}`,
          evidence: "given name first, as the headers' English writes names",
        },
  };
}
