/**
 * The cases bench/streams.ts compares and how one runs: a fresh prefix, a worker child (herald's
 * streams worker, the raw XREADGROUP loop, or bench:queue's raw BullMQ Worker) and a producer,
 * all closed and Redis flushed afterwards. Also the settings every section shares.
 */
import { randomUUID } from 'node:crypto';
import { createHerald } from 'herald';
import { Redis } from 'ioredis';
import { CONCURRENCY, withCase } from './queue-case.js';
import { WorkerChild } from './queue-child.js';
import type { Producer, RedisTarget } from './queue-producers.js';
import { now } from './queue-shared.js';
import { envInt } from './queue-table.js';
import { rawStreamKey, StreamedEvent, type StreamsWorkerSpec, streamsConfig } from './streams-shared.js';

/** A quick run (BENCH_QUICK=1): smaller counts everywhere, for checking the harness. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** An env integer with a default that shrinks in a quick run. */
export function setting(name: string, full: number, quick: number): number {
  return envInt(name, QUICK ? quick : full);
}

/** Events sent concurrently at a time (BENCH_CHUNK). */
export const CHUNK = envInt('BENCH_CHUNK', 1000);

/** Most XADDs one raw pipeline carries: herald's driver batches by the same count. */
const RAW_PIPELINE = 100;

/** What a case runs. */
export type StreamsKind = 'herald-1' | 'herald-3' | 'bullmq' | 'raw-streams';

/** Listeners (consumer groups) per entry: each entry is handled this many times. */
export function listenersOf(kind: StreamsKind): number {
  return kind === 'herald-3' ? 3 : 1;
}

export const LABELS: Record<StreamsKind, string> = {
  'herald-1': 'herald streams, 1 listener',
  'herald-3': 'herald streams, 3 listeners',
  bullmq: 'raw BullMQ Queue.add + Worker',
  'raw-streams': 'raw XADD / XREADGROUP / XACK',
};

/** herald's `dispatch` on the streams connection, with 1 or 3 listeners on the event. */
export async function heraldProducer(
  redis: RedisTarget,
  prefix: string,
  listeners: number,
): Promise<Producer> {
  const herald = await createHerald(streamsConfig(redis.url, prefix, listeners));
  const send = (seq: number) => herald.dispatch(new StreamedEvent(seq, now()));
  return { send, sendChunk: (seqs) => Promise.all(seqs.map(send)), close: () => herald.close() };
}

/**
 * Raw XADDs of entries shaped like herald's (the same six fields), pipelined by
 * {@link RAW_PIPELINE}, the pipelines of a chunk sent at once.
 */
function rawStreamsProducer(redis: RedisTarget, prefix: string): Producer {
  const client = new Redis({ host: redis.host, port: redis.port });
  const key = rawStreamKey(prefix);
  const fields = (seq: number) => [
    'v',
    '1',
    'dispatchId',
    randomUUID(),
    'event',
    'bench.streamed',
    'payload',
    JSON.stringify({ seq, sentAt: now() }),
    'dispatchedAt',
    new Date().toISOString(),
    'meta',
    '{}',
  ];
  return {
    send: (seq) => client.xadd(key, '*', ...fields(seq)),
    sendChunk: (seqs) => {
      const sends: Promise<unknown>[] = [];
      for (let start = 0; start < seqs.length; start += RAW_PIPELINE) {
        const pipeline = client.pipeline();
        for (const seq of seqs.slice(start, start + RAW_PIPELINE)) pipeline.xadd(key, '*', ...fields(seq));
        sends.push(pipeline.exec());
      }
      return Promise.all(sends);
    },
    close: async () => {
      await client.quit();
    },
  };
}

let caseNumber = 0;
const streamsWorkerScript = new URL('./streams-worker.ts', import.meta.url).pathname;

/** Runs one case with a fresh prefix, a worker child and a producer; closes all and flushes after. */
export async function withStreamsCase<T>(
  redis: RedisTarget,
  admin: Redis,
  kind: StreamsKind,
  recordLatency: boolean,
  body: (worker: WorkerChild, producer: Producer) => Promise<T>,
): Promise<T> {
  // Raw BullMQ is exactly bench:queue's case: its worker script, producer and job options.
  if (kind === 'bullmq') return withCase(redis, admin, 'raw-add', recordLatency, body);
  const prefix = `bench-${process.pid}-${++caseNumber}-${kind}`;
  const spec: StreamsWorkerSpec = {
    mode: kind === 'raw-streams' ? 'raw' : 'herald',
    ...redis,
    prefix,
    listeners: listenersOf(kind),
    concurrency: CONCURRENCY,
    recordLatency,
  };
  const worker = await WorkerChild.start(spec, streamsWorkerScript);
  try {
    const producer =
      kind === 'raw-streams'
        ? rawStreamsProducer(redis, prefix)
        : await heraldProducer(redis, prefix, listenersOf(kind));
    try {
      return await body(worker, producer);
    } finally {
      await producer.close();
    }
  } finally {
    await worker.close();
    await admin.flushall();
  }
}

/** A fresh prefix for a case without a worker (dispatch cost alone). */
export function freshPrefix(label: string): string {
  return `bench-${process.pid}-${++caseNumber}-${label}`;
}

/** Redis' CPU time so far (user + system, µs). */
export async function redisCpuMicros(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}
