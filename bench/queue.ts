/**
 * Queued listeners on BullMQ: herald beside raw BullMQ on the same private Redis, in one run.
 *
 *   npm run bench:queue
 *
 * This process is the producer; every case's worker runs in its own child process
 * (bench/queue-worker.ts through jiti), so producer and worker do not share an event loop and
 * the worker's RSS is its own. Each case gets a fresh prefix and a FLUSHALL after it.
 *
 * 1. Throughput: BENCH_N jobs (default 20,000) sent in chunks of BENCH_CHUNK (default 1,000)
 *    concurrently (`Promise.all` of dispatch / add, or one addBulk per chunk), chunks one after
 *    another, to one worker at concurrency 50 that is already running and has handled
 *    BENCH_WARMUP jobs (default 2,000; untimed, so V8 has optimised both sides). Timed from the
 *    first send to the last handle (the worker's clock; same machine). One untimed warm-up
 *    round, then BENCH_ROUNDS rounds (default 5), interleaved in a rotating order; medians, and
 *    the median of each round's herald / Queue.add ratio, reported. Raw jobs get herald's
 *    default retention (removeOnComplete/removeOnFail; herald's workers apply the same) so Redis
 *    does the same cleanup for both. CPU µs/job (producer: this process during the sends;
 *    worker: the child; Redis: INFO cpu) are printed too: on a shared machine they move far
 *    less than the rates do. BENCH_WORKER_NODE_ARGS passes Node flags to the worker (e.g.
 *    `--cpu-prof`).
 * 2. Latency: BENCH_LATENCY_N jobs (default 200), one every 5 ms, after 100 warm-up jobs;
 *    handle time minus the send time carried in the job. BENCH_LATENCY_ROUNDS (default 2),
 *    alternating which case goes first, samples pooled.
 * 3. Worker RSS: after a warm-up of 5,000 jobs and after BENCH_RSS_N jobs in all (default
 *    100,000), each after a full GC in the worker, with checkpoints at each quarter in between
 *    (a leak climbs steadily; the allocator settling shows as a step that then stays flat).
 *    A raw BullMQ Worker is measured the same way for reference.
 *
 * 4. Metrics overhead: the throughput case with the worker recording metrics (the default) and
 *    with HERALD_METRICS=off, BENCH_ROUNDS paired rounds alternating which goes first; the
 *    median of the rounds' on / off ratios (end-to-end rate, worker CPU µs/job).
 *
 * BENCH_ONLY=throughput,latency,rss,metrics runs a subset.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.js';
import { CHUNK, CONCURRENCY, withCase } from './queue-case.js';
import { type ProducerKind, type RedisTarget, sendAll, sendPaced } from './queue-producers.js';
import { rss } from './queue-rss.js';
import { now } from './queue-shared.js';
import { count, envInt, median, percentile, printMarkdownTable, ratio, verdict } from './queue-table.js';

const N = envInt('BENCH_N', 20_000);
const ROUNDS = envInt('BENCH_ROUNDS', 5);
const WARMUP_JOBS = envInt('BENCH_WARMUP', 2000);
const LATENCY_N = envInt('BENCH_LATENCY_N', 200);
const LATENCY_ROUNDS = envInt('BENCH_LATENCY_ROUNDS', 2);
const LATENCY_GAP_MS = 5;
const LATENCY_WARMUP = 100;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,latency,rss,metrics').split(','));

const LABELS: Record<ProducerKind, string> = {
  herald: 'herald dispatch (1 queued listener)',
  'herald-nometrics': 'herald, worker metrics off (HERALD_METRICS=off)',
  'raw-add': 'raw BullMQ Queue.add',
  'raw-bulk': 'raw BullMQ Queue.addBulk',
};

interface Throughput {
  readonly enqueue: number;
  readonly endToEnd: number;
  /** CPU time per job: less noisy than rates on a shared machine. */
  readonly producerCpu: number;
  readonly workerCpu: number;
  /** Redis' CPU time per job (INFO cpu), adds and worker scripts together. */
  readonly redisCpu: number;
}

/** Redis' CPU time so far (user + system, µs). */
async function redisCpuMicros(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

async function throughputRound(
  redis: RedisTarget,
  admin: Redis,
  kind: ProducerKind,
  n: number,
): Promise<Throughput> {
  return withCase(redis, admin, kind, false, async (worker, producer) => {
    // A warm-up chunk first, untimed: connects the producer and lets V8 optimise both sides'
    // hot paths. Each round starts a fresh worker process, and a worker's first few thousand
    // jobs run partly unoptimised code; workers are long-lived, so steady state is what counts.
    await sendAll(producer, 0, WARMUP_JOBS, CHUNK);
    const before = await worker.expect(WARMUP_JOBS);
    const done = worker.expect(WARMUP_JOBS + n);
    const redisBefore = await redisCpuMicros(admin);
    const cpu = process.cpuUsage();
    const started = now();
    await sendAll(producer, WARMUP_JOBS, n, CHUNK);
    const enqueued = now();
    const producerCpu = process.cpuUsage(cpu);
    const { at, cpuMicros } = await done;
    const redisCpu = (await redisCpuMicros(admin)) - redisBefore;
    return {
      enqueue: n / ((enqueued - started) / 1000),
      endToEnd: n / ((at - started) / 1000),
      producerCpu: (producerCpu.user + producerCpu.system) / n,
      workerCpu: (cpuMicros - before.cpuMicros) / n,
      redisCpu: redisCpu / n,
    };
  });
}

async function throughput(redis: RedisTarget, admin: Redis): Promise<void> {
  const kinds: ProducerKind[] = ['herald', 'raw-add', 'raw-bulk'];
  const rounds = new Map<ProducerKind, Throughput[]>(kinds.map((kind) => [kind, []]));
  // An untimed round first: the first jobs through a fresh Redis and this process run slower.
  for (const kind of kinds) await throughputRound(redis, admin, kind, Math.min(N, 2000));
  // Interleaved, and in a rotating order, so drift on a shared machine hits every case alike.
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const kind of order) rounds.get(kind)?.push(await throughputRound(redis, admin, kind, N));
  }
  const med = (kind: ProducerKind, key: keyof Throughput) =>
    median((rounds.get(kind) ?? []).map((result) => result[key]));
  const rawEnqueue = med('raw-add', 'enqueue');
  const rawEndToEnd = med('raw-add', 'endToEnd');
  // Each round's herald / Queue.add ratio, from runs minutes apart at most: steadier than a
  // ratio of medians when the machine's speed drifts between rounds.
  const paired = (kind: ProducerKind) =>
    median(
      (rounds.get(kind) ?? []).map(
        (result, round) => result.endToEnd / (rounds.get('raw-add')?.[round]?.endToEnd ?? Number.NaN),
      ),
    );

  console.log(
    `\n### 1. Throughput: ${count(N)} jobs, chunks of ${count(CHUNK)} concurrent, 1 worker (child process, concurrency ${CONCURRENCY}), timed after ${count(WARMUP_JOBS)} warm-up jobs; median of ${ROUNDS} rounds\n`,
  );
  printMarkdownTable(
    [
      'case',
      'enqueue jobs/s',
      'end-to-end jobs/s',
      'enqueue vs Queue.add',
      'e2e vs Queue.add',
      'e2e vs Queue.add, paired',
      'producer CPU µs/job',
      'worker CPU µs/job',
      'Redis CPU µs/job',
      'e2e per round',
    ],
    kinds.map((kind) => [
      LABELS[kind],
      count(med(kind, 'enqueue')),
      count(med(kind, 'endToEnd')),
      ratio(med(kind, 'enqueue') / rawEnqueue),
      ratio(med(kind, 'endToEnd') / rawEndToEnd),
      ratio(paired(kind)),
      med(kind, 'producerCpu').toFixed(1),
      med(kind, 'workerCpu').toFixed(1),
      med(kind, 'redisCpu').toFixed(1),
      (rounds.get(kind) ?? []).map((result) => count(result.endToEnd)).join(' / '),
    ]),
  );
  const heraldRatio = paired('herald');
  console.log(
    `\nTarget: herald end-to-end >= 1.0x raw parallel Queue.add (aim 1.2x), median of the rounds' paired ratios: ${ratio(heraldRatio)} ${verdict(heraldRatio >= 1)}${heraldRatio >= 1.2 ? ' (aim met)' : ''}`,
  );
  console.log(
    `        herald enqueue / raw Queue.add enqueue: ${ratio(med('herald', 'enqueue') / rawEnqueue)}; herald end-to-end / raw addBulk end-to-end: ${ratio(med('herald', 'endToEnd') / med('raw-bulk', 'endToEnd'))}`,
  );
}

async function latencyRound(redis: RedisTarget, admin: Redis, kind: ProducerKind): Promise<number[]> {
  return withCase(redis, admin, kind, true, async (worker, producer) => {
    await sendPaced(producer, 0, LATENCY_WARMUP, LATENCY_GAP_MS);
    await worker.expect(LATENCY_WARMUP);
    await worker.latencies();
    await sendPaced(producer, LATENCY_WARMUP, LATENCY_N, LATENCY_GAP_MS);
    await worker.expect(LATENCY_WARMUP + LATENCY_N);
    return worker.latencies();
  });
}

async function latency(redis: RedisTarget, admin: Redis): Promise<void> {
  const kinds: ProducerKind[] = ['herald', 'raw-add'];
  const samples = new Map<ProducerKind, number[]>(kinds.map((kind) => [kind, []]));
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    // Alternate which goes first, so neither always runs right after the heavier case before it.
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) samples.get(kind)?.push(...(await latencyRound(redis, admin, kind)));
  }
  const ms = (value: number) => value.toFixed(2);
  const p = (kind: ProducerKind, q: number) => percentile(samples.get(kind) ?? [], q);

  console.log(
    `\n### 2. Latency: dispatch/add -> handle, ${LATENCY_N} jobs one every ${LATENCY_GAP_MS} ms (after ${LATENCY_WARMUP} warm-up), ${LATENCY_ROUNDS} rounds pooled\n`,
  );
  printMarkdownTable(
    ['case', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p50 vs raw'],
    kinds.map((kind) => [
      kind === 'herald' ? 'herald dispatch' : 'raw BullMQ Queue.add',
      String(samples.get(kind)?.length ?? 0),
      ms(p(kind, 50)),
      ms(p(kind, 90)),
      ms(p(kind, 99)),
      ms(p(kind, 100)),
      ratio(p(kind, 50) / p('raw-add', 50)),
    ]),
  );
  const p50Ratio = p('herald', 50) / p('raw-add', 50);
  console.log(`\nTarget: herald p50 <= 1.5x raw p50: ${ratio(p50Ratio)} ${verdict(p50Ratio <= 1.5)}`);
}

/** Section 4: what recording metrics costs a worker, herald with metrics on vs off, paired. */
async function metricsOverhead(redis: RedisTarget, admin: Redis): Promise<void> {
  const kinds: ProducerKind[] = ['herald', 'herald-nometrics'];
  for (const kind of kinds) await throughputRound(redis, admin, kind, Math.min(N, 2000));
  const on: Throughput[] = [];
  const off: Throughput[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      (kind === 'herald' ? on : off).push(await throughputRound(redis, admin, kind, N));
    }
  }
  const rateRatio = median(on.map((result, round) => result.endToEnd / (off[round]?.endToEnd ?? Number.NaN)));
  const cpuRatio = median(
    on.map((result, round) => result.workerCpu / (off[round]?.workerCpu ?? Number.NaN)),
  );
  console.log(`\n### 4. Metrics overhead: ${count(N)} jobs per round, ${ROUNDS} paired rounds\n`);
  printMarkdownTable(
    ['case', 'end-to-end jobs/s', 'worker CPU µs/job', 'e2e per round'],
    [
      ['herald, metrics on', on, 'herald'],
      ['herald, metrics off', off, 'herald-nometrics'],
    ].map(([label, results]) => {
      const list = results as Throughput[];
      return [
        label as string,
        count(median(list.map((result) => result.endToEnd))),
        median(list.map((result) => result.workerCpu)).toFixed(1),
        list.map((result) => count(result.endToEnd)).join(' / '),
      ];
    }),
  );
  console.log(
    `\nTarget: metrics cost <= 5% of worker throughput: on/off end-to-end ${ratio(rateRatio)} ${verdict(rateRatio >= 0.95)}; worker CPU on/off ${ratio(cpuRatio)}`,
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
      `## Queue benchmark: herald vs raw BullMQ\n\nNode ${process.version}, BullMQ ${bullmqVersion}, Redis ${redisVersion} (private, no AOF), ${availableParallelism()} CPUs; producer = this process, worker = child process (jiti).`,
    );
    if (ONLY.has('throughput')) await throughput(redis, admin);
    if (ONLY.has('latency')) await latency(redis, admin);
    if (ONLY.has('rss')) await rss(redis, admin);
    if (ONLY.has('metrics')) await metricsOverhead(redis, admin);
  } finally {
    await admin.quit();
    await server.stop();
  }
  console.log(`\nTotal runtime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
