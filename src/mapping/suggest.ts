/** "Did you mean" for keys, type names and column names. */

const squash = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, "");

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `word`: one that differs only by case, spaces, `_` or `-`, else one
 * within a small edit distance (a third of the word's length, at least 1). Undefined when none is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const squashed = squash(word);
  const same = candidates.find((c) => c !== word && squash(c) === squashed);
  if (same !== undefined) return same;
  // df_sms_optin → df_sms_ads_optin: the one candidate holding every part of the word.
  const parts = word.toLowerCase().split(/[\s_-]+/);
  if (parts.length > 1) {
    const holders = candidates.filter((c) => {
      const theirs = c.toLowerCase().split(/[\s_-]+/);
      return parts.every((p) => theirs.includes(p));
    });
    if (holders.length === 1) return holders[0];
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(squashed, squash(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean `x`?)`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[], quote = "`"): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quote}${match}${quote}?)`;
}
