/**
 * The middle one of an odd number of measured runs. On a shared 2-core machine one pair of runs a
 * few seconds long swings a ratio by more than a pass's change (bench/README.md); the benches whose
 * figure is a ratio of two such runs take a few rounds and compare the median runs.
 */

/** The run whose `key` is the median (of an odd count): its own figures, not a mix of runs'. */
export function medianBy<T>(runs: readonly T[], key: (run: T) => number): T {
  if (runs.length % 2 === 0)
    throw new RangeError(`a median of ${runs.length} runs (want an odd count)`);
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)] as T;
}
