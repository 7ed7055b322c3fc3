/**
 * herald's `streams` driver beside raw BullMQ and a raw Redis Streams loop, on one private Redis,
 * in one run.
 *
 *   npm run bench:streams            (about 3 minutes; BENCH_QUICK=1 for a quick check)
 *
 * The harness is bench:queue's: this process is the producer, every case's worker is a child
 * process (bench/streams-worker.ts, or bench/queue-worker.ts for raw BullMQ) with its own event
 * loop, CPU and RSS; each case gets a fresh prefix and a FLUSHALL after it.
 *
 * 1. End to end: BENCH_N events (default 20,000) in chunks of BENCH_CHUNK (1,000) concurrent,
 *    after BENCH_WARMUP (2,000) untimed, timed from the first send to the last handle. Cases:
 *    herald streams with 1 and with 3 listeners (3 consumer groups: each entry handled 3 times),
 *    raw BullMQ Queue.add + Worker (bench:queue's case), and the ceiling: raw pipelined XADD
 *    and one XREADGROUP COUNT 100 / XACK loop. BENCH_ROUNDS rounds (default 5) interleaved in a
 *    rotating order after an untimed one; medians and per-round (paired) ratios.
 * 2. Dispatch cost alone (no worker): herald dispatch with 3 listeners vs 1 (streams-sections.ts).
 * 3. Latency dispatch → handle, herald streams beside BullMQ (streams-sections.ts).
 * 4. Worker RSS of herald's streams worker, warm and after BENCH_RSS_N entries (200,000).
 *
 * BENCH_ONLY=throughput,dispatch,latency,rss runs a subset; BENCH_WORKER_NODE_ARGS passes Node
 * flags to the worker (e.g. `--cpu-prof`). Speed is printed, never asserted.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.js';
import { CONCURRENCY } from './queue-case.js';
import { type RedisTarget, sendAll } from './queue-producers.js';
import { now } from './queue-shared.js';
import { count, median, printMarkdownTable, ratio, verdict } from './queue-table.js';
import {
  CHUNK,
  LABELS,
  listenersOf,
  QUICK,
  redisCpuMicros,
  type StreamsKind,
  setting,
  withStreamsCase,
} from './streams-case.js';
import { dispatchCost, latency, rss } from './streams-sections.js';

const N = setting('BENCH_N', 20_000, 4000);
const ROUNDS = setting('BENCH_ROUNDS', 5, 1);
const WARMUP = setting('BENCH_WARMUP', 2000, 1000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,dispatch,latency,rss').split(','));

interface Throughput {
  readonly enqueue: number;
  /** Events (dispatches, jobs, appends) per second, first send to last handle. */
  readonly events: number;
  /** Entries handled per second: events × listeners. */
  readonly handled: number;
  readonly producerCpu: number;
  /** Worker CPU per entry handled. */
  readonly workerCpu: number;
  readonly redisCpu: number;
}

async function throughputRound(
  redis: RedisTarget,
  admin: Redis,
  kind: StreamsKind,
  n: number,
): Promise<Throughput> {
  const listeners = listenersOf(kind);
  return withStreamsCase(redis, admin, kind, false, async (worker, producer) => {
    // Untimed warm-up: connects the producer, lets V8 optimise both sides' hot paths.
    await sendAll(producer, 0, WARMUP, CHUNK);
    const before = await worker.expect(WARMUP * listeners);
    const done = worker.expect((WARMUP + n) * listeners);
    const redisBefore = await redisCpuMicros(admin);
    const cpu = process.cpuUsage();
    const started = now();
    await sendAll(producer, WARMUP, n, CHUNK);
    const enqueued = now();
    const producerCpu = process.cpuUsage(cpu);
    const { at, cpuMicros } = await done;
    const redisCpu = (await redisCpuMicros(admin)) - redisBefore;
    const seconds = (at - started) / 1000;
    return {
      enqueue: n / ((enqueued - started) / 1000),
      events: n / seconds,
      handled: (n * listeners) / seconds,
      producerCpu: (producerCpu.user + producerCpu.system) / n,
      workerCpu: (cpuMicros - before.cpuMicros) / (n * listeners),
      redisCpu: redisCpu / n,
    };
  });
}

async function throughput(redis: RedisTarget, admin: Redis): Promise<void> {
  const kinds: StreamsKind[] = ['herald-1', 'herald-3', 'bullmq', 'raw-streams'];
  const rounds = new Map<StreamsKind, Throughput[]>(kinds.map((kind) => [kind, []]));
  // An untimed round first: the first jobs through a fresh Redis and this process run slower.
  for (const kind of kinds) await throughputRound(redis, admin, kind, Math.min(N, 2000));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const kind of order) rounds.get(kind)?.push(await throughputRound(redis, admin, kind, N));
  }
  const of = (kind: StreamsKind) => rounds.get(kind) ?? [];
  const med = (kind: StreamsKind, key: keyof Throughput) => median(of(kind).map((result) => result[key]));
  // Each round's ratio, from runs a minute apart at most: steadier than a ratio of medians.
  const paired = (kind: StreamsKind, base: StreamsKind, key: keyof Throughput) =>
    median(of(kind).map((result, round) => result[key] / (of(base)[round]?.[key] ?? Number.NaN)));

  console.log(
    `\n### 1. End to end: ${count(N)} events, chunks of ${count(CHUNK)} concurrent, 1 worker (child process, concurrency ${CONCURRENCY}), timed after ${count(WARMUP)} warm-up events; median of ${ROUNDS} rounds\n`,
  );
  printMarkdownTable(
    [
      'case',
      'enqueue events/s',
      'events/s (e2e)',
      'entries handled/s',
      'events/s vs BullMQ, paired',
      'handled/s vs raw streams, paired',
      'producer CPU µs/event',
      'worker CPU µs/entry',
      'Redis CPU µs/event',
      'events/s per round',
    ],
    kinds.map((kind) => [
      LABELS[kind],
      count(med(kind, 'enqueue')),
      count(med(kind, 'events')),
      count(med(kind, 'handled')),
      ratio(paired(kind, 'bullmq', 'events')),
      ratio(paired(kind, 'raw-streams', 'handled')),
      med(kind, 'producerCpu').toFixed(1),
      med(kind, 'workerCpu').toFixed(1),
      med(kind, 'redisCpu').toFixed(1),
      of(kind)
        .map((result) => count(result.events))
        .join(' / '),
    ]),
  );
  const vsBullmq = paired('herald-1', 'bullmq', 'events');
  const vsRaw = paired('herald-1', 'raw-streams', 'handled');
  console.log('');
  printMarkdownTable(
    ['target', 'measured (median of paired rounds)', 'verdict'],
    [
      ['herald streams (1 listener) e2e >= 4x raw BullMQ e2e', ratio(vsBullmq), verdict(vsBullmq >= 4)],
      ['herald streams (1 listener) e2e >= 0.5x raw streams loop', ratio(vsRaw), verdict(vsRaw >= 0.5)],
    ],
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = await startRedisServer();
  const redis: RedisTarget = { url: server.url, host: server.host, port: server.port };
  const admin = new Redis({ host: server.host, port: server.port });
  try {
    const redisVersion = /^redis_version:(\S+)/m.exec(await admin.info('server'))?.[1] ?? '?';
    const bullmqVersion = (createRequire(import.meta.url)('bullmq/package.json') as { version: string })
      .version;
    console.log(
      `## Streams benchmark: herald streams vs raw BullMQ vs raw Redis Streams${QUICK ? ' (BENCH_QUICK: small counts)' : ''}\n\nNode ${process.version}, BullMQ ${bullmqVersion}, Redis ${redisVersion} (private, no AOF), ${availableParallelism()} CPUs; producer = this process, worker = child process (jiti).`,
    );
    if (ONLY.has('throughput')) await throughput(redis, admin);
    if (ONLY.has('dispatch')) await dispatchCost(redis, admin);
    if (ONLY.has('latency')) await latency(redis, admin);
    if (ONLY.has('rss')) await rss(redis, admin);
  } finally {
    await admin.quit();
    await server.stop();
  }
  console.log(`\nTotal runtime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
