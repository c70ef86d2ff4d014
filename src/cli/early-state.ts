/**
 * Whether a command line will read a state file's known rows, judged from its words alone before
 * any other module is loaded (the bins' first step): then they are read at once on a thread of
 * their own (state/early-rows.ts), while this thread loads its modules; and, for a CSV or TSV
 * file, the nightly diff's thread is started too (run/diff-spare.ts). A guess, not a parse: a
 * wrong yes costs a thread that does what no run takes (it ends when the run starts, or with the
 * process), a wrong no only the time. The run takes the rows only if they are still the file's.
 */
import { resolve } from "node:path";
import { startSpare } from "../run/diff-spare.js";
import { startEarlyRows } from "../state/early-rows.js";
import { KNOWN_ROWS_LIMIT } from "../state/identities.js";
import type { Bin } from "./args.js";

/** The commands of dfinery-import whose runs read known rows (import-profiles' is the same). */
const KNOWS_ROWS = new Set(["profiles", "identities", "delete"]);

/** The state file a command line names, if its run would read known rows; else undefined. */
export function earlyStatePath(bin: Bin, argv: readonly string[]): string | undefined {
  let words = argv;
  if (bin === "dfinery-import") {
    if (!KNOWS_ROWS.has(argv[0] ?? "")) return undefined;
    words = argv.slice(1);
  } else if (bin !== "import-profiles") {
    return undefined;
  }
  if (words[0] === "init" || words[0] === "status") return undefined;
  let state: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === "--") break;
    // No run, or one that takes no lock (a dry run reads the rows itself, as it always did).
    if (["--help", "-h", "--version", "-V", "--dry-run"].includes(word)) return undefined;
    if (word === "--state") state = words[i + 1];
    else if (word.startsWith("--state=")) state = word.slice("--state=".length);
  }
  return state === undefined || state === "" || state.startsWith("-") ? undefined : resolve(state);
}

/** A file name the diff's thread does not read (it reads CSV and TSV). */
const NOT_DELIMITED = /\.(ndjson|jsonl|json|xlsx|xlsm|xls)(\.gz)?$/i;

/**
 * Whether the run may read its input on the diff's thread (run/diff-source.ts `diffOnWorker`):
 * no word that is no flag's value names a file of another format or stdin (`-`), and neither
 * `--group-by-identity` nor `--format` of another format is given.
 */
export function mayDiffOnWorker(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--group-by-identity") return false;
    if (word === "--format" || word.startsWith("--format=")) {
      const format = word === "--format" ? argv[i + 1] : word.slice("--format=".length);
      if (format !== "csv" && format !== "tsv") return false;
    }
    const before = i === 0 ? undefined : (argv[i - 1] as string);
    const aValue = before?.startsWith("--") === true && !before.includes("=");
    if (!word.startsWith("-") && !aValue && NOT_DELIMITED.test(word)) return false;
    if (word === "-" && !aValue) return false;
  }
  return true;
}

/**
 * Starts reading the known rows of the state file the command line names, if it may want them,
 * and the diff's thread, if the run may read on one.
 */
export function startEarlyRowsFor(bin: Bin, argv: readonly string[]): void {
  const path = earlyStatePath(bin, argv);
  if (path === undefined) return;
  startEarlyRows(path, KNOWN_ROWS_LIMIT);
  if (bin === "import-profiles" || argv[0] === "profiles") {
    if (mayDiffOnWorker(argv)) startSpare();
  }
}
