/** One measured case: how many operations per second it sustained. */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
}

/**
 * Runs `op` repeatedly for `durationMs` (after a warm-up), `rounds` times, and reports the
 * median rate: robust against one noisy round on a shared machine.
 */
export async function measure(
  name: string,
  op: () => unknown,
  { durationMs = 700, rounds = 5, batch = 100 } = {},
): Promise<BenchResult> {
  const runFor = async (ms: number): Promise<number> => {
    let count = 0;
    const start = performance.now();
    const end = start + ms;
    while (performance.now() < end) {
      for (let i = 0; i < batch; i++) {
        const result = op();
        if (result instanceof Promise) await result;
      }
      count += batch;
    }
    return count / ((performance.now() - start) / 1000);
  };
  await runFor(durationMs / 2);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) rates.push(await runFor(durationMs));
  rates.sort((a, b) => a - b);
  return { name, opsPerSecond: rates[Math.floor(rates.length / 2)] ?? 0 };
}

/** Prints results as a table with each case's rate relative to a baseline case. */
export function printTable(title: string, results: readonly BenchResult[], baseline: string): void {
  const base = results.find((result) => result.name === baseline)?.opsPerSecond ?? 1;
  const width = Math.max(...results.map((result) => result.name.length), 4);
  console.log(`\n${title}\n`);
  console.log(`| ${'case'.padEnd(width)} | ${'ops/s'.padStart(12)} | ${`vs ${baseline}`.padStart(10)} |`);
  console.log(
    `|${'-'.repeat(width + 2)}|${'-'.repeat(14)}|${'-'.repeat(Math.max(12, baseline.length + 5))}|`,
  );
  for (const result of results) {
    const rate = Math.round(result.opsPerSecond).toLocaleString('en-US');
    const ratio = `${(result.opsPerSecond / base).toFixed(2)}x`;
    console.log(`| ${result.name.padEnd(width)} | ${rate.padStart(12)} | ${ratio.padStart(10)} |`);
  }
}
