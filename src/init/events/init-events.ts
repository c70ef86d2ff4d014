/**
 * `import-events init <input>` (`dfinery-import events init`): reads the header and the first rows
 * of an event or order export, writes a commented draft events mapping (plan.ts finds, render.ts
 * writes), and dry-runs it on the same rows through the events kind's own assembler (CSV order
 * lines grouped, ids made, as a run makes them), told as profile init tells its dry run. A draft
 * holding a TODO_ is written all the same; the summary lists what to fill, and no dry run is made.
 */
import { ConfigError } from "../../errors.js";
import { parseMapping } from "../../mapping/load.js";
import { LEFT_BY_INIT } from "../../mapping/placeholder.js";
import type { Mapping } from "../../mapping/types.js";
import type { Finished, Row } from "../../run/kind.js";
import { EVENTS } from "../../run/kinds/events.js";
import { wrongCountryLine } from "../../sinks/wrong-country.js";
import { draftPhoneWatch } from "../dry-run.js";
import type { InitOptions, InitResult } from "../init.js";
import { layoutOf, readDraft, writeDraft } from "../init.js";
import type { Sample } from "../sample.js";
import { DryRunTally } from "../tally.js";
import type { Person } from "./person.js";
import { planEvents } from "./plan.js";
import { renderEventDraft } from "./render.js";

export interface EventInitResult extends InitResult {
  /** The events the dry run made (a CSV order of several lines is one); 0 when none was made. */
  readonly events: number;
  /** The load problems of a draft that holds TODO_ values; undefined when it loads. */
  readonly todo: ConfigError | undefined;
}

export async function runEventInit(options: InitOptions): Promise<EventInitResult> {
  const { input, out } = options;
  const { sample, found } = await readDraft(options);
  const plan = planEvents(sample, found.headerless !== undefined);
  const draft = renderEventDraft(plan, input, found);
  let mapping: Mapping | undefined;
  let todo: ConfigError | undefined;
  try {
    mapping = parseMapping(draft, out);
  } catch (error) {
    // Only a TODO_ may keep a draft from loading; anything else is a bug of the draft.
    const left =
      error instanceof ConfigError && error.issues.some((i) => i.message.includes(LEFT_BY_INIT));
    if (!left) throw error;
    todo = error;
  }
  writeDraft(out, draft, options.force);
  const head = `import-events init: wrote ${out} (${layoutOf(sample)})`;
  const next = `import-events ${input} --map ${out} --dry-run`;
  if (mapping === undefined) {
    const lines = [
      head,
      `the draft does not load until its TODO_ values are written (see their comments):\n${todo?.message ?? ""}`,
      `next: write them, review the other comments, then: ${next}`,
    ];
    return { draft, sample, valid: 0, events: 0, todo, summary: `${lines.join("\n")}\n` };
  }
  const { tally, events, wrong } = dryRun(mapping, sample, out, plan.person);
  const rows = sample.rows.length + sample.unreadable;
  const lines = [
    head,
    ...tally.lines(rows, sample.unreadable, ` (${events.toLocaleString("en-US")} events)`),
    ...(wrong === undefined ? [] : [wrongCountryLine(wrong)]),
    `next: review the comments and TODO_ names in ${out}, then: ${next}`,
  ];
  return {
    draft,
    sample,
    valid: tally.valid,
    events,
    todo,
    summary: `${lines.join("\n")}\n`,
  };
}

/**
 * The sample's rows through the events kind, as a dry run of the whole file would take them; a
 * phone person's country said probably wrong as for profiles.
 */
function dryRun(mapping: Mapping, sample: Sample, file: string, person: Person) {
  const { format } = sample;
  EVENTS.checkMapping(mapping, format, file);
  const assembler = EVENTS.assembler(mapping, file, undefined);
  const tally = new DryRunTally();
  const phone = person.field === "phone_no" ? person : undefined;
  const watch = phone && draftPhoneWatch(phone.column, phone.country);
  const cell = (row: Row) => phone && (row.row as Record<string, unknown>)[phone.column];
  let events = 0;
  const count = (done: Finished<unknown> | undefined) => {
    if (done === undefined) return;
    if (done.ok) {
      events++;
      tally.pass(done.rows.length);
      for (const row of done.rows) watch?.row(cell(row));
    } else {
      for (const row of done.rows) {
        tally.fail(row.failure);
        watch?.row(cell(row), row.failure);
      }
    }
  };
  sample.rows.forEach((cells, i) => {
    const line = i + (format === "ndjson" ? 1 : 2);
    const row: Row = { line, at: i, row: cells, format };
    count(assembler.row(row, { kind: "row", line, cells }));
  });
  for (const done of assembler.flush()) count(done);
  return { tally, events, wrong: watch?.result() };
}
