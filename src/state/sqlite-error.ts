import { ImporterError, type RunErrorCode } from "../errors.js";

/** What an SQLite result code means for the user, and what to do. */
function explain(code: string): string | undefined {
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return "is locked by another program (an SQLite client, a backup?): close it and run again";
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return "is damaged: restore it from a backup, or move it away (the next run then sends every row once)";
  }
  if (code === "SQLITE_FULL") return "cannot be written: the disk is full";
  if (code.startsWith("SQLITE_IOERR")) return "cannot be read or written (an I/O error)";
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN")) {
    return "cannot be written (read-only or not reachable)";
  }
  return undefined;
}

/**
 * An error better-sqlite3 threw, as an ImporterError naming the state file (`code`: E_USAGE
 * before a run, E_OUTPUT during one, so the run stops cleanly); anything else as it was.
 */
export function stateFileError(path: string, error: unknown, code: RunErrorCode): unknown {
  if (!(error instanceof Error) || error.name !== "SqliteError") return error;
  const sqliteCode = String((error as Error & { code?: unknown }).code ?? "");
  const meaning = explain(sqliteCode);
  if (meaning === undefined) return error;
  return new ImporterError(
    code,
    `state file ${path} ${meaning} (${sqliteCode}: ${error.message})`,
    {
      cause: error,
    },
  );
}
