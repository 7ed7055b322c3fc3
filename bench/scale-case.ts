/**
 * The Redis setups bench/scale.ts compares (one private redis-server, or a private N-master
 * cluster) and one measured case on them: worker children, a producer in this process, CPU of
 * every redis-server and worker read from /proc around the timed part.
 */
import { createHerald } from 'herald';
import { Redis } from 'ioredis';
import { type RedisClusterHandle, startRedisCluster } from '../test/support/redis-cluster.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { sendAll } from './queue-producers.js';
import { now } from './queue-shared.js';
import { processCpuMs, WorkerPool } from './scale-pool.js';
import { type ScaleDriver, scaleConfig, type Topology, type Workload, workloadOf } from './scale-shared.js';

/** A running Redis setup: its topology for herald, and each redis-server's pid (one per shard). */
export interface Shards {
  readonly topology: Topology;
  readonly pids: readonly number[];
  /** Which shard (index into pids) holds a queue's keys under `prefix`. */
  shardOf(prefix: string, queue: string): Promise<number>;
  /** Deletes every key on every shard. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

async function pidOf(node: { host: string; port: number }): Promise<number> {
  const redis = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 0 });
  try {
    return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
  } finally {
    redis.disconnect();
  }
}

async function flushNode(node: { host: string; port: number }): Promise<void> {
  const redis = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 0 });
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}

/** One private redis-server: a single shard. */
export async function singleShard(): Promise<Shards> {
  const server = await startRedisServer();
  return {
    topology: { kind: 'single', url: server.url },
    pids: [await pidOf(server)],
    shardOf: async () => 0,
    flush: () => flushNode(server),
    stop: () => server.stop(),
  };
}

/** A private cluster of `masters` masters (test/support/redis-cluster.ts). */
export async function clusterShards(masters: number): Promise<Shards> {
  const cluster: RedisClusterHandle = await startRedisCluster(masters);
  const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  return {
    topology: { kind: 'cluster', nodes },
    pids: await Promise.all(nodes.map(pidOf)),
    async shardOf(prefix, queue) {
      // herald's key layout: the queue's tag in the prefix unless the prefix has one (bullmq-keys.ts).
      const key = prefix.includes('{') ? `${prefix}:${queue}:wait` : `${prefix}:{${queue}}:wait`;
      const owner = await cluster.ownerOf(await cluster.slotOf(key));
      return cluster.nodes.findIndex((node) => node.id === owner.id);
    },
    flush: async () => {
      await Promise.all(nodes.map(flushNode));
    },
    stop: () => cluster.stop(),
  };
}

/** What one case runs. */
export interface CaseSpec {
  readonly driver: ScaleDriver;
  readonly workload: Workload;
  readonly prefix: string;
  readonly workers: number;
  /** Jobs at a time per queue, per worker. */
  readonly concurrency: number;
  /** Events handled before the clock starts (fresh workers run unoptimised code at first). */
  readonly warmup: number;
  readonly events: number;
}

/** What one case measured over its timed part. */
export interface CaseResult {
  /** Events per second, first timed dispatch to last handle. */
  readonly rate: number;
  /** CPU ms of each redis-server (in the order of Shards.pids). */
  readonly shardCpuMs: readonly number[];
  /** All shards' CPU per event (µs). */
  readonly redisCpuPerEvent: number;
  /** All workers' CPU per event (µs). */
  readonly workerCpuPerEvent: number;
}

const CHUNK = 1000;

/** Runs one case on `shards`: workers, warm-up, the timed part; closes all and flushes after. */
export async function runCase(shards: Shards, spec: CaseSpec): Promise<CaseResult> {
  const { driver, workload, prefix, workers, concurrency, warmup, events: n } = spec;
  const pool = await WorkerPool.start(
    { driver, workload, topology: shards.topology, prefix, concurrency },
    workers,
  );
  const herald = await createHerald(scaleConfig(driver, workload, shards.topology, prefix));
  try {
    const classes = workloadOf(workload).events;
    // Round-robin over the workload's events: every queue gets the same share of the jobs.
    const send = (seq: number) => {
      const EventClass = classes[seq % classes.length];
      if (EventClass === undefined) throw new Error(`workload ${workload} has no events`);
      return herald.dispatch(new EventClass(seq, now()));
    };
    const producer = {
      send,
      sendChunk: (seqs: readonly number[]) => Promise.all(seqs.map(send)),
      close: () => herald.close(),
    };
    await sendAll(producer, 0, warmup, CHUNK);
    await pool.reach(warmup);
    const cpu = () => ({ redis: shards.pids.map(processCpuMs), workers: pool.pids.map(processCpuMs) });
    const before = cpu();
    const started = now();
    await sendAll(producer, warmup, n, CHUNK);
    const lastAt = await pool.reach(warmup + n);
    const after = cpu();
    const shardCpuMs = after.redis.map((ms, index) => ms - (before.redis[index] ?? 0));
    const workerMs = after.workers.reduce((sum, ms, index) => sum + ms - (before.workers[index] ?? 0), 0);
    return {
      rate: n / ((lastAt - started) / 1000),
      shardCpuMs,
      redisCpuPerEvent: (shardCpuMs.reduce((sum, ms) => sum + ms, 0) * 1000) / n,
      workerCpuPerEvent: (workerMs * 1000) / n,
    };
  } finally {
    await herald.close();
    await pool.close();
    await shards.flush();
  }
}
