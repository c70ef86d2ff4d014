/**
 * Whether every cell of a record is empty: blank or whitespace, null, or one of the source's
 * `empty_values`. Most rows have a value in their first cell, so this stops there.
 */
export function isBlank(
  cells: Readonly<Record<string, unknown>>,
  markers: ReadonlySet<string>,
): boolean {
  for (const key in cells) {
    const value = cells[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== "string") return false;
    const text = value.trim();
    if (text !== "" && !markers.has(text)) return false;
  }
  return true;
}
