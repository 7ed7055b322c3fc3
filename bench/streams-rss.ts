/**
 * Section 4 of bench/streams.ts: the RSS of herald's streams worker (1 listener) after a warm-up
 * and after BENCH_RSS_N entries, with checkpoints at each quarter (a leak climbs steadily; the
 * allocator settling shows as a step that then stays flat).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { CONCURRENCY } from './queue-case.js';
import type { WorkerChild } from './queue-child.js';
import { type RedisTarget, sendAll } from './queue-producers.js';
import { count, growth, megabytes, printMarkdownTable, verdict } from './queue-table.js';
import { CHUNK, setting, withStreamsCase } from './streams-case.js';

const RSS_WARMUP = 5000;
const RSS_N = Math.max(setting('BENCH_RSS_N', 200_000, 20_000), RSS_WARMUP);

type MemoryReply = Awaited<ReturnType<WorkerChild['memory']>>;

/** Measures and prints the RSS table. */
export async function rss(redis: RedisTarget, admin: Redis): Promise<void> {
  const { warm, checkpoints } = await withStreamsCase(
    redis,
    admin,
    'herald-1',
    false,
    async (worker, producer) => {
      const settle = async () => {
        // Let the worker's last acknowledgements finish first.
        await sleep(300);
        return worker.memory();
      };
      await producer.send(0);
      await sendAll(producer, 1, RSS_WARMUP - 1, CHUNK);
      await worker.expect(RSS_WARMUP);
      const warmed = await settle();
      const points: { entries: number; memory: MemoryReply }[] = [];
      let sent = RSS_WARMUP;
      for (let quarter = 1; quarter <= 4; quarter++) {
        const upTo = RSS_WARMUP + Math.round(((RSS_N - RSS_WARMUP) * quarter) / 4);
        await sendAll(producer, sent, upTo - sent, CHUNK);
        sent = upTo;
        await worker.expect(upTo);
        points.push({ entries: upTo, memory: await settle() });
      }
      return { warm: warmed, checkpoints: points };
    },
  );
  const end = checkpoints.at(-1)?.memory ?? warm;
  console.log(
    `\n### 4. herald streams worker RSS (child process, 1 listener, concurrency ${CONCURRENCY}; after a full GC): warm-up ${count(RSS_WARMUP)} entries, then ${count(RSS_N)} in all\n`,
  );
  printMarkdownTable(
    [
      'worker',
      `RSS @ ${count(RSS_WARMUP)}`,
      `RSS @ ${count(RSS_N)}`,
      'RSS growth',
      `RSS MB @ ${checkpoints.map((point) => `${Math.round(point.entries / 1000)}k`).join(' / ')}`,
      'peak RSS (sampled)',
      `heap @ ${count(RSS_WARMUP)} -> ${count(RSS_N)}`,
      'heap growth',
      `external @ ${count(RSS_WARMUP)} -> ${count(RSS_N)}`,
    ],
    [
      [
        'herald.work() on streams',
        megabytes(warm.rss),
        megabytes(end.rss),
        growth(warm.rss, end.rss),
        checkpoints.map((point) => (point.memory.rss / 1024 / 1024).toFixed(0)).join(' / '),
        megabytes(end.peakRss),
        `${megabytes(warm.heapUsed)} -> ${megabytes(end.heapUsed)}`,
        growth(warm.heapUsed, end.heapUsed),
        `${megabytes(warm.external)} -> ${megabytes(end.external)}`,
      ],
    ],
  );
  const grew = (end.rss - warm.rss) / warm.rss;
  // The allocator settling shows as one step early on (heap flat); a leak keeps climbing after it.
  const first = checkpoints[0]?.memory ?? warm;
  const grewAfter = (end.rss - first.rss) / first.rss;
  console.log('');
  printMarkdownTable(
    ['target', 'measured', 'verdict'],
    [
      [
        'streams worker RSS stays flat, warm-up -> end (< 10 %)',
        growth(warm.rss, end.rss),
        verdict(grew < 0.1),
      ],
      [
        `streams worker RSS stays flat, ${count(checkpoints[0]?.entries ?? RSS_WARMUP)} -> end (< 10 %)`,
        growth(first.rss, end.rss),
        verdict(grewAfter < 0.1),
      ],
    ],
  );
}
