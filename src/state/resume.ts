import type { RunRow } from "./runs.js";

export interface RunRequest {
  /** The input path as given (`-` for stdin). */
  readonly input: string;
  /** `fingerprintInput(input)`; null for stdin or a pipe. */
  readonly inputFingerprint: string | null;
  readonly mappingFingerprint: string;
  /** "new": start a run (abandoning an unfinished one); "resume": continue the unfinished one. */
  readonly mode: "new" | "resume";
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Pure: why `request` may not resume `unfinished` (the latest run without finishedAt), or null
 * when it may. `latest` is the latest run of any kind, to explain "nothing to resume".
 */
export function resumeRefusal(
  file: string,
  request: RunRequest,
  unfinished: RunRow | undefined,
  latest: RunRow | undefined,
): string | null {
  if (unfinished === undefined) {
    const last =
      latest === undefined
        ? `no run is recorded in ${file}`
        : `the last run (#${latest.id} over ${latest.input}) ended as ${latest.status}` +
          (latest.finished_at === null ? "" : ` at ${iso(latest.finished_at)}`);
    return `nothing to resume: ${last}; run without --resume`;
  }
  const was = `(was ${unfinished.input}, started at ${iso(unfinished.started_at)})`;
  if (request.inputFingerprint === null) {
    return `cannot resume from standard input or a pipe: it cannot be read twice, so it cannot be checked against the interrupted run #${unfinished.id} ${was}; pass --full to start over`;
  }
  if (request.inputFingerprint !== unfinished.input_fingerprint) {
    return `cannot resume: the input changed since the interrupted run #${unfinished.id} ${was}; pass --full to start over`;
  }
  if (request.mappingFingerprint !== unfinished.mapping_fingerprint) {
    return `cannot resume: the mapping changed since the interrupted run #${unfinished.id} ${was}; pass --full to start over`;
  }
  return null;
}
