import type Database from "better-sqlite3";

/** A run: one pass (or several, when resumed) over one input with one mapping. */
export type RunStatus = "running" | "stopped" | "finished" | "abandoned";

export interface RunCounts {
  /** Rows read (a resumed run counts each row once). */
  readonly rows: number;
  readonly accepted: number;
  readonly deadLettered: number;
  readonly unchanged: number;
  /** Rows the mapping's `where` left out. */
  readonly filtered: number;
}

/** One line of `history()`. `notAttempted = rows − accepted − deadLettered − unchanged − filtered`. */
export interface RunSummary extends RunCounts {
  readonly id: number;
  readonly input: string;
  readonly startedAt: string;
  /** Null while the run can be resumed (running, crashed, or stopped). */
  readonly finishedAt: string | null;
  readonly status: RunStatus;
  /** How many times the run was resumed. */
  readonly resumes: number;
  readonly notAttempted: number;
  readonly exitCode: number | null;
}

export interface RunRow {
  id: number;
  input: string;
  input_fingerprint: string | null;
  mapping_fingerprint: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  resumes: number;
  watermark: number;
  row_count: number;
  accepted: number;
  dead_lettered: number;
  unchanged: number;
  filtered: number;
  exit_code: number | null;
  read_to: number;
  /** JSON: the lines up to read_to not done (progress.ts). */
  open_lines: string;
}

/** What a commit writes about the run: its counts and which rows are done (progress.ts). */
export interface RunProgress extends RunCounts {
  readonly watermark: number;
  readonly readTo: number;
  readonly open: readonly number[];
}

const COLUMNS =
  "id, input, input_fingerprint, mapping_fingerprint, started_at, finished_at, status, resumes, " +
  "watermark, row_count, accepted, dead_lettered, unchanged, filtered, exit_code, read_to, open_lines";

/** The `runs` and `done_lines` tables. Statements are prepared once. */
export class RunTable {
  readonly #latest: Database.Statement<[], RunRow>;
  readonly #latestUnfinished: Database.Statement<[], RunRow>;
  readonly #get: Database.Statement<[number], RunRow>;
  readonly #history: Database.Statement<[number], RunRow>;
  readonly #insert: Database.Statement<[string, string | null, string, number]>;
  readonly #resume: Database.Statement<[number]>;
  readonly #abandon: Database.Statement<[number], { id: number }>;
  readonly #progress: Database.Statement<
    [number, number, number, number, number, number, number, string, number]
  >;
  readonly #end: Database.Statement<
    [
      RunStatus,
      number | null,
      number,
      string,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      string,
      number,
    ]
  >;
  readonly #prune: Database.Statement<[number]>;
  readonly #doneLines: Database.Statement<[number, number], number>;
  readonly #compact: Database.Statement<[number, number]>;
  readonly #dropDone: Database.Statement<[]>;

  constructor(db: Database.Database) {
    this.#latest = db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id DESC LIMIT 1`);
    this.#latestUnfinished = db.prepare(
      `SELECT ${COLUMNS} FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`,
    );
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`);
    this.#history = db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`);
    this.#insert = db.prepare(
      "INSERT INTO runs (input, input_fingerprint, mapping_fingerprint, started_at, status) " +
        "VALUES (?, ?, ?, ?, 'running')",
    );
    this.#resume = db.prepare(
      "UPDATE runs SET status = 'running', resumes = resumes + 1 WHERE id = ?",
    );
    this.#abandon = db.prepare(
      "UPDATE runs SET status = 'abandoned', finished_at = ? WHERE finished_at IS NULL RETURNING id",
    );
    this.#progress = db.prepare(
      "UPDATE runs SET watermark = ?, row_count = ?, accepted = ?, dead_lettered = ?, unchanged = ?, " +
        "filtered = ?, read_to = ?, open_lines = ? WHERE id = ?",
    );
    this.#end = db.prepare(
      "UPDATE runs SET status = ?, finished_at = ?, exit_code = ?, report = ?, watermark = ?, " +
        "row_count = ?, accepted = ?, dead_lettered = ?, unchanged = ?, filtered = ?, read_to = ?, " +
        "open_lines = ? WHERE id = ?",
    );
    this.#prune = db.prepare(
      "DELETE FROM runs WHERE finished_at IS NOT NULL AND id NOT IN " +
        "(SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
    );
    this.#doneLines = db
      .prepare<[number, number], number>(
        "SELECT line FROM done_lines WHERE run_id = ? AND line > ? ORDER BY line",
      )
      .pluck();
    this.#compact = db.prepare("DELETE FROM done_lines WHERE run_id = ? AND line <= ?");
    this.#dropDone = db.prepare(
      "DELETE FROM done_lines WHERE run_id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL)",
    );
  }

  latest(): RunRow | undefined {
    return this.#latest.get();
  }

  latestUnfinished(): RunRow | undefined {
    return this.#latestUnfinished.get();
  }

  get(id: number): RunSummary | undefined {
    const row = this.#get.get(id);
    return row === undefined ? undefined : summary(row);
  }

  history(limit: number): RunSummary[] {
    return this.#history.all(limit).map(summary);
  }

  insert(input: string, inputFp: string | null, mappingFp: string, now: number): number {
    return Number(this.#insert.run(input, inputFp, mappingFp, now).lastInsertRowid);
  }

  markResumed(id: number): void {
    this.#resume.run(id);
  }

  /** Ends every unfinished run as abandoned; returns their ids. */
  abandonUnfinished(now: number): number[] {
    const ids = this.#abandon.all(now).map((r) => r.id);
    if (ids.length > 0) this.#dropDone.run();
    return ids;
  }

  /** Keeps the newest `keep` runs (and any unfinished one). */
  prune(keep: number): void {
    this.#prune.run(keep);
  }

  doneLinesAbove(id: number, watermark: number): number[] {
    return this.#doneLines.all(id, watermark);
  }

  /** Drops done lines the watermark already covers. */
  compact(id: number, watermark: number): void {
    this.#compact.run(id, watermark);
  }

  saveProgress(id: number, p: RunProgress): void {
    const { watermark, rows, accepted, deadLettered, unchanged, filtered, readTo, open } = p;
    const openLines = JSON.stringify(open);
    const counts = [rows, accepted, deadLettered, unchanged, filtered] as const;
    this.#progress.run(watermark, ...counts, readTo, openLines, id);
  }

  end(
    id: number,
    status: "stopped" | "finished",
    p: RunProgress,
    at: number,
    exitCode: number,
    report: object,
  ): void {
    this.#end.run(
      status,
      status === "finished" ? at : null,
      exitCode,
      JSON.stringify(report),
      p.watermark,
      p.rows,
      p.accepted,
      p.deadLettered,
      p.unchanged,
      p.filtered,
      p.readTo,
      JSON.stringify(p.open),
      id,
    );
    if (status === "finished") this.#dropDone.run();
  }
}

export function countsOf(row: RunRow): RunCounts {
  return {
    rows: row.row_count,
    accepted: row.accepted,
    deadLettered: row.dead_lettered,
    unchanged: row.unchanged,
    filtered: row.filtered,
  };
}

export function summary(row: RunRow): RunSummary {
  const counts = countsOf(row);
  return {
    id: row.id,
    input: row.input,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    status: row.status,
    resumes: row.resumes,
    ...counts,
    notAttempted:
      counts.rows - counts.accepted - counts.deadLettered - counts.unchanged - counts.filtered,
    exitCode: row.exit_code,
  };
}
