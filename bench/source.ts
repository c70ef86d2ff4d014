/**
 * Source benchmark: rows/s of the source over a CSV file, read as a run reads it (in batches,
 * `readSourceBatches`), against bare csv-parse (`columns: true`) over the same file in the same
 * process. readSource does more (strict UTF-8, line numbers,
 * column-count checks, bad quotes as invalid rows) and should still keep up (ratio ≥ 1).
 */
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { readSourceBatches } from "../src/source/read.js";

export interface Throughput {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface SourceBenchResult {
  file: string;
  readSource: Throughput;
  csvParse: Throughput;
  /** readSource rows/s ÷ csv-parse rows/s. */
  ratio: number;
}

export async function benchSource(file: string): Promise<SourceBenchResult> {
  const readSourceResult = await time(async () => {
    let rows = 0;
    for await (const batch of readSourceBatches({ input: file, format: "csv" })) {
      for (const item of batch) if (item.kind === "row") rows++;
    }
    return rows;
  });
  const csvParse = await time(async () => {
    let rows = 0;
    for await (const _record of createReadStream(file).pipe(parse({ columns: true }))) rows++;
    return rows;
  });
  const ratio = readSourceResult.rowsPerSecond / csvParse.rowsPerSecond;
  return { file, readSource: readSourceResult, csvParse, ratio: Number(ratio.toFixed(2)) };
}

async function time(count: () => Promise<number>): Promise<Throughput> {
  const start = performance.now();
  const rows = await count();
  const seconds = (performance.now() - start) / 1000;
  return { rows, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds) };
}
