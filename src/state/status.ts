import type { LockInfo } from "./lock.js";
import type { StateCommand } from "./owner.js";
import type { RunSummary } from "./runs.js";

/** What `import-profiles status` shows; `StateStore` provides it. */
export interface StatusSource {
  readonly path: string;
  lockInfo(): LockInfo | null;
  /** Whether a live import holds the lock (or may: one of another host). */
  lockHeld(): boolean;
  history(limit?: number): RunSummary[];
  identityCount(): number;
  eventCount(): number;
  owner(): StateCommand | null;
}

/**
 * Columns of counts and exit code, right-aligned. The counts in the summary's order: `rows =
 * accepted + unchanged + filtered + dead-lettered + not attempted` reads across a line.
 */
const NUMERIC = new Set([4, 5, 6, 7, 8, 9, 10]);
const n = (value: number) => value.toLocaleString("en-US");
const time = (iso: string | null) => (iso === null ? "-" : iso.replace("T", " ").slice(0, 19));

/**
 * The text of `import-profiles status --state FILE` (or import-events'): the lock, the last runs,
 * the identities (or events) remembered; ends with a line break, as a terminal expects.
 */
export function formatStatus(store: StatusSource, limit = 10): string {
  const held = store.lockHeld();
  const runs = store.history(limit);
  const lines = [`state file: ${store.path}`, lockText(store.lockInfo(), held), known(store)];
  if (runs.length === 0) {
    lines.push("runs: none yet");
    return `${lines.join("\n")}\n`;
  }
  lines.push(`last ${runs.length === 1 ? "run" : `${runs.length} runs`}:`);
  const header = [
    "run",
    "started (UTC)",
    "finished (UTC)",
    "status",
    "rows",
    "accepted",
    "unchanged",
    "filtered",
    "dead-lettered",
    "not attempted",
    "exit",
    "input",
  ];
  const table = runs.map((r) => [
    `#${r.id}`,
    time(r.startedAt),
    time(r.finishedAt),
    statusText(r, held),
    n(r.rows),
    n(r.accepted),
    n(r.unchanged),
    n(r.filtered),
    n(r.deadLettered),
    n(r.notAttempted),
    r.exitCode === null ? "-" : String(r.exitCode),
    r.input,
  ]);
  lines.push(...alignColumns([header, ...table], NUMERIC).map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

/** What the file remembers, by the command it belongs to. */
function known(store: StatusSource): string {
  const owner = store.owner();
  if (owner === "import-events") return `events known: ${n(store.eventCount())} (of import-events)`;
  if (owner === "dfinery-import identities" || owner === "dfinery-import delete") {
    const what = owner === "dfinery-import delete" ? "people deleted" : "identities linked";
    return `${what}: ${n(store.identityCount())} (of ${owner})`;
  }
  return `identities known: ${n(store.identityCount())}`;
}

function lockText(lock: LockInfo | null, held: boolean): string {
  const who =
    lock === null ? "" : `pid ${lock.pid} on host ${lock.hostname} since ${lock.startedAt}`;
  if (held) return `lock: held by ${lock === null ? "an import starting up" : who}`;
  if (lock === null) return "lock: free (no import is running)";
  return `lock: free (left by ${who}, no longer running)`;
}

/** A "running" run that holds no lock was killed: say so, and that it can be resumed. */
function statusText(run: RunSummary, held: boolean): string {
  const resumed = run.resumes > 0 ? ` (resumed ${run.resumes}x)` : "";
  if (run.status === "running" && !held) return `interrupted, resumable${resumed}`;
  if (run.status === "stopped") return `stopped, resumable${resumed}`;
  return run.status + resumed;
}

/** Pads cells to their column's width; the last column is not padded. */
function alignColumns(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        if (i === row.length - 1) return cell;
        const width = widths[i] ?? 0;
        return right.has(i) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd(),
  );
}
