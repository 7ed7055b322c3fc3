/**
 * Sections 2 and 3 of bench/streams.ts (dispatch cost alone, latency); section 4 (RSS) is in
 * bench/streams-rss.ts.
 */
import type { Redis } from 'ioredis';
import { type RedisTarget, sendAll, sendPaced } from './queue-producers.js';
import { count, median, percentile, printMarkdownTable, ratio, verdict } from './queue-table.js';
import {
  CHUNK,
  freshPrefix,
  heraldProducer,
  LABELS,
  listenersOf,
  type StreamsKind,
  setting,
  withStreamsCase,
} from './streams-case.js';

export { rss } from './streams-rss.js';

const DISPATCH_N = setting('BENCH_DISPATCH_N', 20_000, 4000);
const DISPATCH_ROUNDS = setting('BENCH_DISPATCH_ROUNDS', 5, 2);
const LATENCY_N = setting('BENCH_LATENCY_N', 200, 100);
const LATENCY_ROUNDS = setting('BENCH_LATENCY_ROUNDS', 2, 1);
const LATENCY_GAP_MS = 5;
const LATENCY_WARMUP = 100;

interface DispatchRun {
  readonly rate: number;
  readonly cpu: number;
}

/** Dispatches only, no worker: how fast `dispatch` resolves (Redis acknowledged every append). */
async function dispatchRound(redis: RedisTarget, admin: Redis, listeners: number): Promise<DispatchRun> {
  const producer = await heraldProducer(redis, freshPrefix(`dispatch-${listeners}`), listeners);
  try {
    await sendAll(producer, 0, 2000, CHUNK);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await sendAll(producer, 2000, DISPATCH_N, CHUNK);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { rate: DISPATCH_N / seconds, cpu: (used.user + used.system) / DISPATCH_N };
  } finally {
    await producer.close();
    await admin.flushall();
  }
}

/** Section 2: herald dispatch with 3 listeners on the stream vs 1 (one entry either way). */
export async function dispatchCost(redis: RedisTarget, admin: Redis): Promise<void> {
  const runs = new Map<number, DispatchRun[]>([
    [1, []],
    [3, []],
  ]);
  await dispatchRound(redis, admin, 1);
  await dispatchRound(redis, admin, 3);
  for (let round = 0; round < DISPATCH_ROUNDS; round++) {
    const order = round % 2 === 0 ? [1, 3] : [3, 1];
    for (const listeners of order) runs.get(listeners)?.push(await dispatchRound(redis, admin, listeners));
  }
  const of = (listeners: number) => runs.get(listeners) ?? [];
  const med = (listeners: number, key: keyof DispatchRun) => median(of(listeners).map((run) => run[key]));
  // Cost of a dispatch with 3 listeners relative to 1: time per dispatch, paired by round.
  const timeRatio = median(of(3).map((run, round) => (of(1)[round]?.rate ?? Number.NaN) / run.rate));
  const cpuRatio = median(of(3).map((run, round) => run.cpu / (of(1)[round]?.cpu ?? Number.NaN)));

  console.log(
    `\n### 2. Dispatch cost alone (no worker): ${count(DISPATCH_N)} dispatches in chunks of ${count(CHUNK)} concurrent, resolved = appended; median of ${DISPATCH_ROUNDS} rounds\n`,
  );
  printMarkdownTable(
    [
      'case',
      'dispatches/s',
      'producer CPU µs/dispatch',
      'time per dispatch vs 1 listener, paired',
      'per round',
    ],
    [1, 3].map((listeners) => [
      `herald dispatch, ${listeners} listener${listeners === 1 ? '' : 's'} (1 entry)`,
      count(med(listeners, 'rate')),
      med(listeners, 'cpu').toFixed(1),
      listeners === 1 ? '1.00x' : ratio(timeRatio),
      of(listeners)
        .map((run) => count(run.rate))
        .join(' / '),
    ]),
  );
  console.log('');
  printMarkdownTable(
    ['target', 'measured', 'verdict'],
    [
      ['3 listeners dispatch time <= 1.2x of 1 listener', ratio(timeRatio), verdict(timeRatio <= 1.2)],
      ['(for reference) 3 listeners CPU/dispatch vs 1 listener', ratio(cpuRatio), verdict(cpuRatio <= 1.2)],
    ],
  );
}

async function latencyRound(redis: RedisTarget, admin: Redis, kind: StreamsKind): Promise<number[]> {
  const listeners = listenersOf(kind);
  return withStreamsCase(redis, admin, kind, true, async (worker, producer) => {
    await sendPaced(producer, 0, LATENCY_WARMUP, LATENCY_GAP_MS);
    await worker.expect(LATENCY_WARMUP * listeners);
    await worker.latencies();
    await sendPaced(producer, LATENCY_WARMUP, LATENCY_N, LATENCY_GAP_MS);
    await worker.expect((LATENCY_WARMUP + LATENCY_N) * listeners);
    return worker.latencies();
  });
}

/** Section 3: dispatch/add → handle latency at a steady pace, herald streams beside BullMQ. */
export async function latency(redis: RedisTarget, admin: Redis): Promise<void> {
  const kinds: StreamsKind[] = ['herald-1', 'herald-3', 'bullmq'];
  const samples = new Map<StreamsKind, number[]>(kinds.map((kind) => [kind, []]));
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    // Alternate the order, so no case always runs right after the same other one.
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) samples.get(kind)?.push(...(await latencyRound(redis, admin, kind)));
  }
  const ms = (value: number) => value.toFixed(2);
  const p = (kind: StreamsKind, q: number) => percentile(samples.get(kind) ?? [], q);

  console.log(
    `\n### 3. Latency dispatch/add -> handle: ${LATENCY_N} events one every ${LATENCY_GAP_MS} ms (after ${LATENCY_WARMUP} warm-up), ${LATENCY_ROUNDS} round(s) pooled; 3 listeners = 3 samples per event\n`,
  );
  printMarkdownTable(
    ['case', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p50 vs BullMQ', 'p99 vs BullMQ'],
    kinds.map((kind) => [
      LABELS[kind],
      String(samples.get(kind)?.length ?? 0),
      ms(p(kind, 50)),
      ms(p(kind, 90)),
      ms(p(kind, 99)),
      ms(p(kind, 100)),
      ratio(p(kind, 50) / p('bullmq', 50)),
      ratio(p(kind, 99) / p('bullmq', 99)),
    ]),
  );
}
