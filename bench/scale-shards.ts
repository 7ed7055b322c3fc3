/**
 * Section 1 of bench/scale.ts: one workload (six queues, one queued listener each, dispatches
 * round-robin over them, one worker process working all six) on one redis-server, and on a
 * 3-master cluster with the queues on one shard (hash-tagged prefix) and spread (untagged).
 */
import { count, median, printMarkdownTable, ratio } from './queue-table.js';
import { type CaseResult, clusterShards, runCase, type Shards, singleShard } from './scale-case.js';
import { type ScaleDriver, SPREAD_QUEUES } from './scale-shared.js';
import { setting } from './streams-case.js';

const N = setting('BENCH_SHARDS_N', 12_000, 3000);
const WARMUP = setting('BENCH_SHARDS_WARMUP', 1200, 600);
const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
/** Jobs at a time per queue: six queues, so up to 120 at once in the one worker. */
const CONCURRENCY = 20;
const MASTERS = 3;

/** The drivers this section runs; see ScaleDriver. */
const DRIVERS: readonly ScaleDriver[] = ['bullmq'];

type Setup = 'single' | 'cluster-tagged' | 'cluster-spread';

const LABELS: Record<Setup, string> = {
  single: '1 Redis (1 shard)',
  'cluster-tagged': `${MASTERS}-master cluster, prefix {tag}: all queues on 1 shard`,
  'cluster-spread': `${MASTERS}-master cluster, untagged prefix: queues spread`,
};

let caseNumber = 0;

/**
 * A fresh prefix per case. The tagged one keeps one tag for every case, so its queues sit on the
 * same shard in every round and per-shard medians compare like with like.
 */
function prefixFor(setup: Setup): string {
  const name = `bench-scale-${process.pid}-${++caseNumber}`;
  return setup === 'cluster-tagged' ? `{bench-scale}-${name}` : name;
}

/** How many of the six queues each shard holds under a prefix like `setup`'s. */
async function queuesPerShard(shards: Shards, setup: Setup): Promise<number[]> {
  const prefix = prefixFor(setup);
  const perShard = shards.pids.map(() => 0);
  for (const queue of SPREAD_QUEUES) {
    const shard = await shards.shardOf(prefix, queue);
    perShard[shard] = (perShard[shard] ?? 0) + 1;
  }
  return perShard;
}

const join = (values: readonly number[], format: (value: number) => string) => values.map(format).join(' / ');

/** Section 1, for every driver in {@link DRIVERS}. */
export async function shardsSection(): Promise<void> {
  const single = await singleShard();
  const cluster = await clusterShards(MASTERS);
  try {
    for (const driver of DRIVERS) await shardsOf(driver, { single, cluster });
  } finally {
    await Promise.all([single.stop(), cluster.stop()]);
  }
}

async function shardsOf(driver: ScaleDriver, { single, cluster }: { single: Shards; cluster: Shards }) {
  const setups: Setup[] = ['single', 'cluster-tagged', 'cluster-spread'];
  const shardsOfSetup = (setup: Setup) => (setup === 'single' ? single : cluster);
  const run = (setup: Setup, events: number) =>
    runCase(shardsOfSetup(setup), {
      driver,
      workload: 'spread',
      prefix: prefixFor(setup),
      workers: 1,
      concurrency: CONCURRENCY,
      warmup: WARMUP,
      events,
    });
  const rounds = new Map<Setup, CaseResult[]>(setups.map((setup) => [setup, []]));
  // An untimed round first: the first jobs through fresh servers and this process run slower.
  for (const setup of setups) await run(setup, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...setups.slice(round % setups.length), ...setups.slice(0, round % setups.length)];
    for (const setup of order) rounds.get(setup)?.push(await run(setup, N));
  }
  const of = (setup: Setup) => rounds.get(setup) ?? [];
  const med = (setup: Setup, pick: (result: CaseResult) => number) => median(of(setup).map(pick));
  // Each round's ratio to the single Redis of the same round: steadier than a ratio of medians.
  const paired = (setup: Setup) =>
    median(of(setup).map((result, round) => result.rate / (of('single')[round]?.rate ?? Number.NaN)));

  const rows: string[][] = [];
  for (const setup of setups) {
    const shards = shardsOfSetup(setup);
    const perShardCpu = shards.pids.map((_, shard) => med(setup, (result) => result.shardCpuMs[shard] ?? 0));
    const total = perShardCpu.reduce((sum, ms) => sum + ms, 0);
    const shares = perShardCpu.map((ms) => ms / total);
    rows.push([
      `${driver}: ${LABELS[setup]}`,
      (await queuesPerShard(shards, setup)).join(' / '),
      count(med(setup, (result) => result.rate)),
      ratio(paired(setup)),
      join(perShardCpu, count),
      join(shares, (share) => `${(share * 100).toFixed(0)} %`),
      shares.length > 1 ? ratio(Math.min(...shares) / Math.max(...shares)) : 'n/a',
      med(setup, (result) => result.redisCpuPerEvent).toFixed(1),
      med(setup, (result) => result.workerCpuPerEvent).toFixed(1),
      join(
        of(setup).map((result) => result.rate),
        count,
      ),
    ]);
  }
  console.log(
    `\n### 1. Shards (${driver}): ${count(N)} events round-robin over ${SPREAD_QUEUES.length} queues (${SPREAD_QUEUES.join(', ')}), one queued listener each, 1 worker process (concurrency ${CONCURRENCY} per queue), timed after ${count(WARMUP)} warm-up events; median of ${ROUNDS} round(s)\n`,
  );
  printMarkdownTable(
    [
      'case',
      'queues per shard',
      'events/s (e2e)',
      'vs 1 Redis, paired',
      'Redis CPU ms per shard',
      'CPU share per shard',
      'min/max share',
      'Redis CPU µs/event (all shards)',
      'worker CPU µs/event',
      'events/s per round',
    ],
    rows,
  );
  console.log(
    '\nRedis CPU: utime + stime of each redis-server from /proc/<pid>/stat over the timed part (10 ms ticks). min/max share 1.00x = perfectly even.',
  );
}
