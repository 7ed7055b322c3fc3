/**
 * Scaling out: herald's `bullmq` driver on more shards and more worker processes.
 *
 *   npm run bench:scale            (about 4 minutes; BENCH_QUICK=1 for a ~30 s check)
 *
 * This process is the producer (herald `dispatch`); workers are child processes
 * (bench/scale-worker.ts through jiti, `herald.work()`), each case with fresh workers, a fresh
 * prefix and a FLUSHALL of every shard after it. CPU of each redis-server and worker is read
 * from /proc/<pid>/stat around the timed part.
 *
 * 1. Shards (scale-shards.ts): six queues, one queued listener each, on one redis-server and on
 *    a private 3-master cluster (test/support/redis-cluster.ts), with a hash-tagged prefix (all
 *    queues on one shard) and an untagged one (herald tags each queue: the queues spread):
 *    events/s, and Redis CPU per shard with each shard's share.
 * 2. Workers (scale-workers.ts): 1, 2, 4 worker processes on one Redis, for an I/O-bound
 *    listener (await 50 ms) and a CPU-bound one (2 ms busy): events/s and the ratio to 1 worker.
 *
 * Rounds are interleaved in a rotating order and ratios taken within a round (paired), since a
 * shared machine's speed drifts between rounds. BENCH_ONLY=shards,workers runs a subset;
 * BENCH_ROUNDS, BENCH_SHARDS_N, BENCH_IO_N, BENCH_CPU_N size it. Speed is printed, never asserted.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { shardsSection } from './scale-shards.js';
import { workersSection } from './scale-workers.js';
import { QUICK } from './streams-case.js';

const ONLY = new Set((process.env.BENCH_ONLY ?? 'shards,workers').split(','));

async function main(): Promise<void> {
  const started = performance.now();
  const bullmqVersion = (createRequire(import.meta.url)('bullmq/package.json') as { version: string })
    .version;
  console.log(
    `## Scale benchmark: shards and worker processes${QUICK ? ' (BENCH_QUICK: small counts)' : ''}\n\nNode ${process.version}, BullMQ ${bullmqVersion}, private redis-server(s) (no AOF), ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)} at start; producer = this process, workers = child processes (jiti). Every process here, Redis included, shares the same ${availableParallelism()} cores: more shards or workers cannot add cores, so compare ratios within one run.`,
  );
  if (ONLY.has('shards')) await shardsSection();
  if (ONLY.has('workers')) await workersSection();
  console.log(`\nTotal runtime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
