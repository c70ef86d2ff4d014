/**
 * The commands of `dfinery-import`, declared once: what each runs, its flags (flags.ts), its help
 * and examples. `import-profiles`, `import-events` and `dfinery-emulator` are shorthands for a
 * command (`import-profiles X` is `dfinery-import profiles X`). A new kind of import is one entry
 * here: `run: "import"`, the run's `program`, RUN_FLAGS and its own flags.
 */
import type { StateCommand } from "../state/index.js";
import { EMULATOR_FLAGS, type FlagName, RUN_FLAGS } from "./flags.js";

/** An import run's name: in messages, in the log, and in the state file that belongs to it. */
export type Program = StateCommand;

/** The binary; the commands' shorthands are binaries of their own. */
export const BINARY = "dfinery-import";

export type Shorthand = "import-profiles" | "import-events" | "dfinery-emulator";

export interface Example {
  readonly command: string;
  readonly says: string;
}

export interface CommandDef {
  readonly name: string;
  /** What it does: an import run of `program`, or one of the other commands. */
  readonly run: "import" | "init" | "init-events" | "status" | "emulator";
  /** An import run: the run's name in messages, logs and the state file. */
  readonly program?: Program;
  /**
   * The binary that is this command, and the commands it reaches as its first word (also after
   * the command's name: `dfinery-import events init` is `import-events init`); a command named
   * `<this> <word>` is reached before the one named `<word>`.
   */
  readonly shorthand?: { readonly bin: Shorthand; readonly reaches: readonly string[] };
  /** One line, in the list of commands. */
  readonly summary: string;
  /** What follows the command's name in a usage line. */
  readonly args: string;
  /** How many inputs it reads: none (status), one (init), one or more (the import runs). */
  readonly inputs: 0 | 1 | "many";
  /** The flags it must be given. */
  readonly required?: readonly FlagName[];
  /**
   * A command that changes what cannot be undone: it runs only with this switch (or as a dry run,
   * which sends nothing); `says` is the refusal, given before anything is read.
   */
  readonly confirm?: { readonly flag: FlagName; readonly says: string };
  readonly about: string;
  readonly flags: readonly FlagName[];
  readonly examples: readonly Example[];
  /** After the examples: its exit codes. */
  readonly footer?: string;
}

const RUN_EXIT_CODES = `Exit codes: 0 all rows delivered (dry run: all valid); 1 some rows dead-lettered; 2 usage, mapping or input error; 3 stopped by the API (bad token or service id, an outage, a quota spent beyond --max-wait, the circuit breaker, the canary): resumable; 70 a bug; 130 interrupted; 141 stdout closed (| head).`;

const MANY =
  "Several files, a folder (an export's part files: _SUCCESS, .crc, hidden and empty files skipped) or a quoted glob are one run, the files read in name order (docs/operations.md#many-inputs).";

const REPLAY =
  "A dead-letter file from an earlier run is a valid input: with --map its rows are mapped again; without --map its stored payloads are sent again as they were.";

export const COMMANDS: readonly CommandDef[] = [
  {
    name: "profiles",
    run: "import",
    program: "import-profiles",
    shorthand: { bin: "import-profiles", reaches: ["init", "status"] },
    summary: "user profiles: one POST /api/v1/user-profile a row",
    args: "<input>... --map <mapping.yaml> [options]",
    inputs: "many",
    about: `Streams a CSV, TSV or NDJSON file (or - for stdin; .gz is read as it comes) into DFINERY: one POST /api/v1/user-profile per row, paced to the token's rate limit, with retries. ${MANY} ${REPLAY}`,
    flags: RUN_FLAGS.flatMap((f) => (f === "sample" ? [f, "group-by-identity"] : [f])),
    examples: [
      {
        command: "import-profiles users.csv --map mapping.yaml --dry-run --sample 3",
        says: "validate every row, print the first 3 payloads; sends nothing",
      },
      {
        command:
          "import-profiles users.csv --map mapping.yaml --service-id my-service --report run.json",
        says: "import, with DFINERY_ACCESS_TOKEN set",
      },
      {
        command:
          "import-profiles users.csv --map mapping.yaml --state /var/lib/dfinery/state.db --quiet",
        says: "nightly: only the rows that changed; resumable",
      },
      {
        command: "import-profiles exports/users/ --map mapping.yaml --state state.db --quiet",
        says: "a Spark export folder: its part files; those finished unchanged are skipped",
      },
      {
        command: "import-profiles users.dead-letter.ndjson --service-id my-service",
        says: "send the failed payloads again, as they were",
      },
    ],
    footer: RUN_EXIT_CODES,
  },
  {
    name: "events",
    run: "import",
    program: "import-events",
    shorthand: { bin: "import-events", reaches: ["init", "status"] },
    summary: "events (orders, sign-ups…): a user's events batched into POST /api/v1/events",
    args: "<input>... --map <events.yaml> [options]",
    inputs: "many",
    about: `Streams a CSV, TSV or NDJSON file of events into DFINERY: the events of one user are gathered into requests of at most 100 events and 100 items (POST /api/v1/events), paced to the token's rate limit, with retries. A refused request is split in halves until the bad events are found: only they are dead-lettered. ${MANY} ${REPLAY}`,
    flags: RUN_FLAGS.flatMap((f) =>
      f === "sample"
        ? [f, "batch-wait", "group-by-identity"]
        : f === "resume"
          ? [f, "keep-events"]
          : [f],
    ),
    examples: [
      {
        command: "import-events orders.ndjson --map events.yaml --dry-run --sample 2",
        says: "validate every event, print the first 2 request bodies",
      },
      {
        command: "import-events orders.ndjson --map events.yaml --service-id my-service",
        says: "import, with DFINERY_ACCESS_TOKEN set",
      },
      {
        command:
          "import-events orders.ndjson --map events.yaml --state events.db --keep-events 90d",
        says: "only the events not accepted yet; forget those older than 90 days",
      },
      {
        command: "import-events 'hourly/*.json.gz' --map events.yaml --state events.db",
        says: "every hourly file the glob matches (quoted: the glob is ours, not the shell's)",
      },
    ],
    footer: RUN_EXIT_CODES,
  },
  {
    name: "identities",
    run: "import",
    program: "dfinery-import identities",
    summary: "unified profiles: one person's identifiers linked, one POST /api/v1/identities a row",
    args: "<input>... --map <identities.yaml> [options]",
    inputs: "many",
    about: `Streams a CSV, TSV or NDJSON file of people into DFINERY's unified profiles: one POST /api/v1/identities per row, linking the identifiers its mapping's identity section reads (external_id, email, phone_no, …) as one person, paced to the rate limit (10,000 a minute by default), with retries. The guide's first step, before profiles and events. The mapping has an identity section only. ${MANY} ${REPLAY}`,
    flags: RUN_FLAGS,
    examples: [
      {
        command: "dfinery-import identities users.csv --map identities.yaml --dry-run --sample 3",
        says: "validate every row, print the first 3 request bodies; sends nothing",
      },
      {
        command:
          "dfinery-import identities users.csv --map identities.yaml --service-id my-service --state identities.db",
        says: "link, with DFINERY_ACCESS_TOKEN set; the next run sends only identities not linked yet",
      },
    ],
    footer: RUN_EXIT_CODES,
  },
  {
    name: "delete",
    run: "import",
    program: "dfinery-import delete",
    summary:
      "remove people (members who left): profile and events, one POST /api/v1/identities/delete a row",
    args: "<input>... --map <identities.yaml> --yes [options]",
    inputs: "many",
    confirm: {
      flag: "yes",
      says: "delete removes every person of its input from DFINERY for good, with their profile and events: give --yes to confirm (or --dry-run to count them first). Nothing was read.",
    },
    about: `Streams a CSV, TSV or NDJSON file of people to remove from DFINERY (the members who left, as the law requires): one POST /api/v1/identities/delete per row, with the identity its mapping's identity section reads; DFINERY removes the person's unified profile and events. Runs only with --yes; --dry-run counts the people it would delete without it. Paced and retried as the other commands; a person DFINERY does not know counts as deleted. ${MANY} ${REPLAY}`,
    flags: RUN_FLAGS.flatMap((f) => (f === "dry-run" ? [f, "yes"] : [f])),
    examples: [
      {
        command: "dfinery-import delete leavers.csv --map identities.yaml --dry-run",
        says: "count the people it would delete; sends nothing, needs no --yes",
      },
      {
        command:
          "dfinery-import delete leavers.csv --map identities.yaml --service-id my-service --yes",
        says: "delete them, with DFINERY_ACCESS_TOKEN set",
      },
    ],
    footer: RUN_EXIT_CODES,
  },
  {
    name: "init",
    run: "init",
    summary: "a first, commented mapping, drafted from a file's header and first rows",
    args: "<input> [--out mapping.yaml] [--force]",
    inputs: 1,
    about:
      "Reads the header and the first 1,000 rows of <input> (CSV, TSV or NDJSON: UTF-8, UTF-16 or CP949, found by strict decoding; a headerless database dump; or an .xlsx sheet), writes a commented draft mapping whose every choice says its evidence, and dry-runs it on those rows. What the rows do not tell (a time zone, the phones' country, a property's registered name) is a TODO_ that fails to load until filled.",
    flags: ["out", "force", "format", "encoding", "delimiter", "no-header", "dialect", "sheet"],
    examples: [
      {
        command: "import-profiles init users.csv --out mapping.yaml",
        says: "draft mapping.yaml, then review its comments and TODO_ names",
      },
    ],
  },
  {
    name: "events init",
    run: "init-events",
    summary: "a first, commented events mapping, drafted from an export's header and first rows",
    args: "<input> [--out events.yaml] [--force]",
    inputs: 1,
    about:
      "Reads the header and the first 1,000 rows of <input> (CSV, TSV or NDJSON: UTF-8, UTF-16 or CP949, found by strict decoding; a headerless database dump; or an .xlsx sheet) and writes a commented draft events mapping: the person (the id column that repeats across events), the event name with a values table to the standard df_ names, the date-time and its format (the time zone only from evidence in the file), an event id, items (NDJSON arrays, or CSV order lines grouped by their order id) and the standard df_ properties by meaning; then dry-runs it on those rows. Where the file does not decide, the draft holds a TODO_ that fails to load, its comment saying what to write.",
    flags: ["out", "force", "format", "encoding", "delimiter", "no-header", "dialect", "sheet"],
    examples: [
      {
        command: "import-events init orders.csv --out events.yaml",
        says: "draft events.yaml, then review its comments and fill its TODO_ values",
      },
      {
        command: "dfinery-import events init ga4_events.ndjson",
        says: "the same, written to events.yaml",
      },
    ],
  },
  {
    name: "status",
    run: "status",
    summary: "what a --state file holds: the import holding it, the last runs, what it knows",
    args: "--state FILE",
    inputs: 0,
    required: ["state"],
    about:
      "Shows whether an import holds the state file, the last runs with their counts, and how many identities (or events) it knows. Reads the file; changes nothing.",
    flags: ["state"],
    examples: [
      {
        command: "import-profiles status --state /var/lib/dfinery/state.db",
        says: "the profiles' state file",
      },
      { command: "dfinery-import status --state events.db", says: "any state file" },
    ],
  },
  {
    name: "emulator",
    run: "emulator",
    shorthand: { bin: "dfinery-emulator", reaches: [] },
    summary: "a local emulator of the DFINERY Import API, to rehearse an import",
    args: "[flags]",
    inputs: 0,
    about:
      "A local emulator of the DFINERY Import API (POST /api/v1/user-profile, /api/v1/identities, /api/v1/identities/delete, /api/v1/events): its rate limits, answers and faults, to rehearse an import before spending real quota. Prints listening on URL as its first line, then runs until Ctrl-C, SIGTERM or SIGHUP. Exit codes: 0 stopped cleanly, 1 could not start, 2 a bad flag.",
    flags: EMULATOR_FLAGS,
    examples: [
      {
        command: "dfinery-emulator --port 0 --limit 200/s --catalog samples/crm-cp949/catalog.json",
        says: "prints listening on http://127.0.0.1:PORT; point --endpoint there, token test-token",
      },
      {
        command: "dfinery-emulator --fail-rate 0.1 --latency-ms 50 --over-limit code40401",
        says: "a flaky, slow API that refuses over-limit requests the other way",
      },
    ],
  },
];

/** The command named `name`, or undefined. */
export function commandNamed(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/**
 * The command `word` reaches after `command` (`import-events init`, `dfinery-import events status`):
 * its own (`events init`) before the shared one (`init`); undefined when it reaches none.
 */
export function reachedBy(command: CommandDef, word: string): CommandDef | undefined {
  if (!(command.shorthand?.reaches.includes(word) ?? false)) return undefined;
  return commandNamed(`${command.name} ${word}`) ?? commandNamed(word);
}

/** The command a shorthand binary is. */
export function commandOf(bin: Shorthand): CommandDef {
  const command = COMMANDS.find((c) => c.shorthand?.bin === bin);
  if (command === undefined) throw new Error(`no command for ${bin}`);
  return command;
}
