/**
 * Section 2 of bench/scale.ts: 1, 2 and 4 worker processes on one redis-server, for an I/O-bound
 * listener (awaits 50 ms) and a CPU-bound one (2 ms of busy work).
 */
import { availableParallelism } from 'node:os';
import { count, median, printMarkdownTable, ratio } from './queue-table.js';
import { type CaseResult, runCase, singleShard } from './scale-case.js';
import { CPU_BUSY_MS, IO_WAIT_MS, type ScaleDriver, type Workload } from './scale-shared.js';
import { setting } from './streams-case.js';

const IO_N = setting('BENCH_IO_N', 5000, 1500);
const CPU_N = setting('BENCH_CPU_N', 2000, 600);
const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
/** Jobs at a time per worker process. */
const CONCURRENCY = 50;
const WORKERS = [1, 2, 4] as const;

/** The drivers this section runs; see ScaleDriver. */
const DRIVERS: readonly ScaleDriver[] = ['bullmq'];

type Workers = (typeof WORKERS)[number];

const eventsOf = (workload: Workload) => (workload === 'io' ? IO_N : CPU_N);

/**
 * What the listener alone allows: each job holds a slot 50 ms (I/O), or a core 2 ms (CPU); the
 * machine's cores cap the CPU case whatever the number of processes.
 */
function ceiling(workload: Workload, workers: number): number {
  if (workload === 'io') return (workers * CONCURRENCY * 1000) / IO_WAIT_MS;
  return (Math.min(workers, availableParallelism()) * 1000) / CPU_BUSY_MS;
}

/** Section 2, for every driver in {@link DRIVERS}. */
export async function workersSection(): Promise<void> {
  const shards = await singleShard();
  try {
    for (const driver of DRIVERS) {
      const rows: string[][] = [];
      for (const workload of ['io', 'cpu'] as const) {
        const rounds = new Map<Workers, CaseResult[]>(WORKERS.map((workers) => [workers, []]));
        for (let round = 0; round < ROUNDS; round++) {
          // Rotating order: drift on a shared machine hits every worker count alike.
          const order = [
            ...WORKERS.slice(round % WORKERS.length),
            ...WORKERS.slice(0, round % WORKERS.length),
          ];
          for (const workers of order) {
            const events = eventsOf(workload);
            const result = await runCase(shards, {
              driver,
              workload,
              prefix: `bench-scale-${process.pid}-${workload}-${workers}-${round}`,
              workers,
              concurrency: CONCURRENCY,
              warmup: Math.round(events / 10),
              events,
            });
            rounds.get(workers)?.push(result);
          }
        }
        const of = (workers: Workers) => rounds.get(workers) ?? [];
        const med = (workers: Workers, pick: (result: CaseResult) => number) => median(of(workers).map(pick));
        // Each round's ratio to 1 worker in the same round.
        const paired = (workers: Workers) =>
          median(of(workers).map((result, round) => result.rate / (of(1)[round]?.rate ?? Number.NaN)));
        for (const workers of WORKERS) {
          const rate = med(workers, (result) => result.rate);
          rows.push([
            `${driver}: ${workload === 'io' ? `I/O-bound (await ${IO_WAIT_MS} ms)` : `CPU-bound (${CPU_BUSY_MS} ms busy)`}`,
            String(workers),
            count(rate),
            ratio(paired(workers)),
            count(ceiling(workload, workers)),
            `${((rate / ceiling(workload, workers)) * 100).toFixed(0)} %`,
            med(workers, (result) => result.workerCpuPerEvent).toFixed(0),
            med(workers, (result) => result.redisCpuPerEvent).toFixed(0),
            of(workers)
              .map((result) => count(result.rate))
              .join(' / '),
          ]);
        }
      }
      console.log(
        `\n### 2. Worker processes (${driver}): 1, 2, 4 workers on 1 Redis, concurrency ${CONCURRENCY} per worker; I/O-bound ${count(IO_N)} events, CPU-bound ${count(CPU_N)}, each after a tenth as many warm-up events; median of ${ROUNDS} round(s)\n`,
      );
      printMarkdownTable(
        [
          'listener',
          'workers',
          'events/s (e2e)',
          'vs 1 worker, paired',
          'listener ceiling events/s',
          'of ceiling',
          'worker CPU µs/event (all)',
          'Redis CPU µs/event',
          'events/s per round',
        ],
        rows,
      );
      console.log(
        `\nListener ceiling: I/O = workers x ${CONCURRENCY} slots / ${IO_WAIT_MS} ms; CPU = min(workers, ${availableParallelism()} cores) / ${CPU_BUSY_MS} ms, before any queue or Redis cost.`,
      );
    }
  } finally {
    await shards.stop();
  }
}
