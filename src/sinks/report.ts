import { accessSync, constants } from "node:fs";
import { dirname } from "node:path";
import { errnoOf, OutputError } from "../errors.js";
import { type FailingColumn, formatFailingColumn } from "./failing-columns.js";
import { checkOutputPath, REPORT_FORMAT, replaceFile } from "./own-file.js";
import { isStreamOutput, writeStreamOutput } from "./stream-output.js";
import { type WrongCountry, wrongCountryLine } from "./wrong-country.js";

/**
 * Why a run stopped before the end of its input. `rate-limit`: the quota is spent beyond
 * --max-wait; `breaker`: the API refused row after row for the same reason; `canary`: none of the
 * first --canary rows was accepted. All but `interrupt`, `input`, `output` and `internal` exit 3
 * (resumable).
 */
export type StopReason =
  | "fatal"
  | "rate-limit"
  | "breaker"
  | "canary"
  | "interrupt"
  | "input"
  | "output"
  | "internal";

export interface StoppedBy {
  readonly reason: StopReason;
  readonly message: string;
  /** `rate-limit`: when the quota resets, ISO-8601 UTC and local time with its offset. */
  readonly until?: string;
  readonly untilLocal?: string;
  /** `breaker` on 40001: the property the API refuses, when one alone explains it. */
  readonly property?: string;
}

/**
 * The files of a run of several not read: markers (`_SUCCESS`), checksums (`.crc`), hidden and
 * empty files of a folder or glob, and (--state) files an earlier run finished, unchanged since.
 */
export interface FilesSkipped {
  readonly marker: number;
  readonly checksum: number;
  readonly hidden: number;
  readonly empty: number;
  readonly finished: number;
}

/** The run summary. `rows = accepted + deadLettered + unchanged + filtered + notAttempted`, always. */
export interface Report {
  readonly rows: number;
  /** Records whose cells were all empty (after empty_values): skipped, and not in `rows`. */
  readonly blank: number;
  /** NDJSON dry runs: in how many of `records` rows each mapped path was present. */
  readonly paths?: { readonly records: number; readonly present: Readonly<Record<string, number>> };
  readonly accepted: number;
  readonly deadLettered: number;
  /**
   * Of the dead-lettered rows, those that failed the same way, with the same content, on an earlier
   * run (with --state): known failures, which alone do not make the run exit 1.
   */
  readonly stillFailing: number;
  readonly unchanged: number;
  /** Rows the mapping's `where` left out: never sent, never a failure. */
  readonly filtered: number;
  readonly notAttempted: number;
  /** The first line of a row that was not delivered because the run stopped; null when none. */
  readonly firstNotAttemptedLine: number | null;
  /** A run of several files: the file of that line. */
  readonly firstNotAttemptedFile?: string | null;
  readonly retries: number;
  readonly rateLimited: number;
  readonly rateLimitWaitMs: number;
  /** The longest single pause for the rate limit, ms. */
  readonly longestWaitMs: number;
  readonly durationMs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly input: string;
  /** A run of several files (a folder, a glob, several names): how many it reads, and skipped. */
  readonly files?: { readonly count: number; readonly skipped: FilesSkipped };
  readonly endpoint: string | null;
  readonly dryRun: boolean;
  readonly deadLetterFile: string | null;
  /**
   * Rows dead-lettered because their group value (`items.group_by`) came back after its group was
   * closed by other rows (`GROUP_SPLIT`): each such group's earlier part went on as an event of
   * its own. Present only when some were.
   */
  readonly splitGroupRows?: number;
  /**
   * `--group-by-identity`, profiles: rows merged into the update of an earlier row of the same
   * identity (sent in one request with it). Present only when some were.
   */
  readonly mergedRows?: number;
  /** Rows the API refused with a code its guide does not list, per code (kept in the dead letters). */
  readonly unknownCodes: Readonly<Record<string, number>>;
  /** The columns that made the most rows fail (mapping stage), most first. */
  readonly failingColumns?: readonly FailingColumn[];
  /** A dry run's phone column whose country is probably wrong (numbers valid in another). */
  readonly phoneCountry?: WrongCountry;
  /** Why the run stopped early: a fatal API answer, an interrupt, unreadable input; null when it ran to the end. */
  readonly stoppedBy: StoppedBy | null;
}

/** How a run names the rows the API took, and a dry run's rows that it would take. */
export interface ReportWords {
  /** `accepted`; a delete's: `deleted`. Also the written report's key for the count. */
  readonly done: string;
  /** A dry run's: `valid`; a delete's: `to delete`. */
  readonly dry: string;
}

export const ACCEPTED: ReportWords = { done: "accepted", dry: "valid" };

/** The report as written: `accepted` under the run's own word for it, in its place. */
export function wordedReport(report: Report, words: ReportWords = ACCEPTED): object {
  if (words.done === "accepted") return report;
  return Object.fromEntries(
    Object.entries(report).map(([key, value]) => [key === "accepted" ? words.done : key, value]),
  );
}

/** Fails early (before any row is read) when the report could not be written at `path`. */
export function checkReportPath(path: string): void {
  if (isStreamOutput(path)) return; // /dev/null, /dev/stdout, a pipe: written as a stream
  checkOutputPath(path, "--report", REPORT_FORMAT);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    const code = errnoOf(error);
    throw new OutputError(path, `cannot write the report here (${code})`, { cause: error });
  }
}

/**
 * Writes the report as JSON (mode 0600) to a new file renamed over `path`: a link put there since
 * the check is replaced, not followed. Throws OutputError when it cannot.
 */
export function writeReport(path: string, report: object): void {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  try {
    if (isStreamOutput(path)) writeStreamOutput(path, text, "--report");
    else replaceFile(path, text);
  } catch (error) {
    if (error instanceof OutputError) throw error;
    const code = errnoOf(error);
    throw new OutputError(path, `cannot write the report (${code})`, { cause: error });
  }
}

const n = (value: number) => value.toLocaleString("en-US");

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** The few lines printed on stdout at the end of a run. */
export function formatSummary(report: Report, words: ReportWords = ACCEPTED): string {
  const verb = report.dryRun ? words.dry : words.done;
  const lines = [
    ...(report.files === undefined ? [] : [filesLine(report.files)]),
    `${report.dryRun ? "dry run: " : ""}${n(report.rows)} rows${report.blank > 0 ? ` (and ${n(report.blank)} blank, skipped)` : ""} in ${duration(report.durationMs)}: ` +
      `${n(report.accepted)} ${verb}, ${n(report.unchanged)} unchanged, ` +
      (report.filtered > 0 ? `${n(report.filtered)} filtered, ` : "") +
      `${n(report.deadLettered)} dead-lettered, ${n(report.notAttempted)} not attempted`,
  ];
  if (
    !report.dryRun &&
    (report.retries > 0 || report.rateLimited > 0 || report.rateLimitWaitMs > 0)
  ) {
    lines.push(
      `retries: ${n(report.retries)}; rate-limited answers: ${n(report.rateLimited)}; ` +
        `waited for the rate limit: ${duration(report.rateLimitWaitMs)}` +
        (report.longestWaitMs > 0 ? ` (longest wait ${duration(report.longestWaitMs)})` : ""),
    );
  }
  if (report.paths !== undefined) {
    const { records, present } = report.paths;
    const list = Object.entries(present).map(([path, count]) => `${path} ${n(count)}`);
    lines.push(`paths present, in rows of ${n(records)}: ${list.join(", ")}`);
  }
  const unknown = Object.entries(report.unknownCodes);
  if (unknown.length > 0) {
    const list = unknown.map(([code, count]) => `${code} (${n(count)} rows)`).join(", ");
    lines.push(`the API answered with codes its guide does not list: ${list}`);
  }
  if (report.failingColumns !== undefined && report.failingColumns.length > 0) {
    lines.push(
      "top failing columns:",
      ...report.failingColumns.map((f) => `  ${formatFailingColumn(f)}`),
    );
  }
  if (report.phoneCountry !== undefined) lines.push(wrongCountryLine(report.phoneCountry));
  if (report.mergedRows !== undefined) {
    lines.push(
      `${n(report.mergedRows)} rows merged into the update of an earlier row of their identity (one request each identity, the later row winning)`,
    );
  }
  if (report.splitGroupRows !== undefined) {
    lines.push(
      `${n(report.splitGroupRows)} rows came after their item group had closed (GROUP_SPLIT): dead-lettered, while each such group's earlier rows went on as an event of their own: check those events (docs/events.md)`,
    );
  }
  if (report.stillFailing > 0) {
    lines.push(
      `${n(report.stillFailing)} of the dead-lettered rows are still failing: the same row failed the same way on an earlier run`,
    );
  }
  if (report.deadLetterFile !== null) {
    lines.push(`dead-lettered rows are in ${report.deadLetterFile}`);
  }
  if (report.stoppedBy !== null) {
    lines.push(`stopped (${report.stoppedBy.reason}): ${report.stoppedBy.message}`);
    if (report.firstNotAttemptedLine !== null) {
      const file = report.firstNotAttemptedFile;
      const of = file === undefined || file === null ? "" : ` of ${file}`;
      lines.push(`rows from line ${report.firstNotAttemptedLine}${of} on were not all delivered`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const SKIPPED_AS: Readonly<Record<keyof FilesSkipped, string>> = {
  marker: "marker (_SUCCESS)",
  checksum: "checksum (.crc)",
  hidden: "hidden",
  empty: "empty",
  finished: "finished unchanged (--state)",
};

/** `8 files; skipped: 1 marker (_SUCCESS), 8 checksum (.crc)`. */
function filesLine(files: NonNullable<Report["files"]>): string {
  const skipped = Object.entries(files.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${n(count)} ${SKIPPED_AS[reason as keyof FilesSkipped]}`);
  const read = `${n(files.count)} file${files.count === 1 ? "" : "s"}`;
  return skipped.length === 0 ? read : `${read}; skipped: ${skipped.join(", ")}`;
}
