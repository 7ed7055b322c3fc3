/**
 * Section 3 of bench/queue.ts: the worker's RSS after a warm-up and after BENCH_RSS_N jobs,
 * herald's worker beside a raw BullMQ Worker.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { CHUNK, CONCURRENCY, withCase } from './queue-case.js';
import type { WorkerChild } from './queue-child.js';
import { type ProducerKind, type RedisTarget, sendAll } from './queue-producers.js';
import { count, envInt, growth, megabytes, printMarkdownTable, verdict } from './queue-table.js';

const RSS_WARMUP = 5000;
const RSS_N = Math.max(envInt('BENCH_RSS_N', 100_000), RSS_WARMUP);

type MemoryReply = Awaited<ReturnType<WorkerChild['memory']>>;

interface Memory {
  readonly warm: MemoryReply;
  /** After each quarter of the jobs past the warm-up; the last is the end. */
  readonly checkpoints: readonly { readonly jobs: number; readonly memory: MemoryReply }[];
}

async function rssRun(redis: RedisTarget, admin: Redis, kind: ProducerKind): Promise<Memory> {
  return withCase(redis, admin, kind, false, async (worker, producer) => {
    const settle = async () => {
      // Let the worker's last completions and BullMQ's follow-up commands finish first.
      await sleep(300);
      return worker.memory();
    };
    // One job first, so the producer is connected before a chunk of concurrent sends.
    await producer.send(0);
    await sendAll(producer, 1, RSS_WARMUP - 1, CHUNK);
    await worker.expect(RSS_WARMUP);
    const warm = await settle();
    const checkpoints: { jobs: number; memory: MemoryReply }[] = [];
    let sent = RSS_WARMUP;
    for (let quarter = 1; quarter <= 4; quarter++) {
      const upTo = RSS_WARMUP + Math.round(((RSS_N - RSS_WARMUP) * quarter) / 4);
      await sendAll(producer, sent, upTo - sent, CHUNK);
      sent = upTo;
      await worker.expect(upTo);
      checkpoints.push({ jobs: upTo, memory: await settle() });
    }
    return { warm, checkpoints };
  });
}

/** Measures and prints the RSS table. */
export async function rss(redis: RedisTarget, admin: Redis): Promise<void> {
  const runs: [string, Memory][] = [
    ['herald.work()', await rssRun(redis, admin, 'herald')],
    ['raw BullMQ Worker', await rssRun(redis, admin, 'raw-add')],
  ];
  const endOf = (memory: Memory) => memory.checkpoints.at(-1)?.memory ?? memory.warm;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const quarters =
    runs[0]?.[1].checkpoints.map((checkpoint) => `${Math.round(checkpoint.jobs / 1000)}k`) ?? [];
  console.log(
    `\n### 3. Worker RSS (child process, concurrency ${CONCURRENCY}; after a full GC): warm-up ${count(RSS_WARMUP)} jobs, then ${count(RSS_N)} jobs in all\n`,
  );
  printMarkdownTable(
    [
      'worker',
      `RSS @ ${count(RSS_WARMUP)}`,
      `RSS @ ${count(RSS_N)}`,
      'RSS growth',
      `RSS MB @ ${quarters.join(' / ')}`,
      'peak RSS (sampled)',
      `heap @ ${count(RSS_WARMUP)} -> ${count(RSS_N)}`,
      'heap growth',
      `heap reserved @ ${count(RSS_WARMUP)} -> ${count(RSS_N)}`,
      `external @ ${count(RSS_WARMUP)} -> ${count(RSS_N)}`,
    ],
    runs.map(([name, memory]) => {
      const { warm } = memory;
      const end = endOf(memory);
      return [
        name,
        megabytes(warm.rss),
        megabytes(end.rss),
        growth(warm.rss, end.rss),
        memory.checkpoints.map((checkpoint) => mb(checkpoint.memory.rss)).join(' / '),
        megabytes(end.peakRss),
        `${megabytes(warm.heapUsed)} -> ${megabytes(end.heapUsed)}`,
        growth(warm.heapUsed, end.heapUsed),
        `${megabytes(warm.heapTotal)} -> ${megabytes(end.heapTotal)}`,
        `${megabytes(warm.external)} -> ${megabytes(end.external)}`,
      ];
    }),
  );
  const herald = runs[0]?.[1];
  if (herald === undefined) return;
  const heraldEnd = endOf(herald);
  const heraldGrowth = (heraldEnd.rss - herald.warm.rss) / herald.warm.rss;
  console.log(
    `\nTarget: herald worker RSS growth < 10 %: ${growth(herald.warm.rss, heraldEnd.rss)} ${verdict(heraldGrowth < 0.1)}`,
  );
}
