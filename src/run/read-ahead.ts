import { PATH_SAMPLE } from "../mapping/paths.js";
import type { InputItem } from "./input.js";

const STALLED = Symbol("stalled");

/**
 * The first PATH_SAMPLE NDJSON records (or all of a smaller file) and the rest of their batch, to
 * check the mapping's paths before any request. `waitMs` (an input that can stall: stdin, a pipe):
 * once a record is held, an input silent for this long ends the sample with those read so far,
 * and the read still awaited is returned (`stalled`), so that a slow export's units are not held
 * back. A regular file never stalls: its sample is always whole, however slow the machine (a
 * sample cut by a timer would check the paths against fewer records, or none, depending on the
 * load).
 */
export async function readAhead(
  iterator: AsyncIterator<readonly InputItem[]>,
  waitMs: number | undefined,
): Promise<{
  held: InputItem[];
  stalled: Promise<IteratorResult<readonly InputItem[]>> | undefined;
}> {
  const held: InputItem[] = [];
  let records = 0;
  const hold = (items: readonly InputItem[]) => {
    for (const item of items) {
      held.push(item);
      if (item.kind === "row") records++;
    }
  };
  while (records < PATH_SAMPLE) {
    const next = iterator.next();
    if (waitMs === undefined || records === 0) {
      const read = await next;
      if (read.done === true) break;
      hold(read.value);
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<typeof STALLED>((resolve) => {
      timer = setTimeout(() => resolve(STALLED), waitMs);
    });
    const read = await Promise.race([next, stall]);
    clearTimeout(timer);
    if (read === STALLED) return { held, stalled: next };
    if (read.done === true) break;
    hold(read.value);
  }
  return { held, stalled: undefined };
}
