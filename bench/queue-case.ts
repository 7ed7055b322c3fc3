/**
 * One case of bench/queue.ts: a fresh prefix, a worker child process and a producer, all closed
 * and Redis flushed afterwards; plus the settings every section shares.
 */
import type { Redis } from 'ioredis';
import { WorkerChild } from './queue-child.js';
import { makeProducer, type ProducerKind, type RedisTarget } from './queue-producers.js';
import type { WorkerSpec } from './queue-shared.js';
import { envInt } from './queue-table.js';

/** Jobs sent concurrently at a time (BENCH_CHUNK). */
export const CHUNK = envInt('BENCH_CHUNK', 1000);
/** The worker's concurrency in every case. */
export const CONCURRENCY = 50;

let caseNumber = 0;

/** Runs one case with a fresh prefix, a worker child and a producer; closes all and flushes after. */
export async function withCase<T>(
  redis: RedisTarget,
  admin: Redis,
  kind: ProducerKind,
  recordLatency: boolean,
  body: (worker: WorkerChild, producer: Awaited<ReturnType<typeof makeProducer>>) => Promise<T>,
): Promise<T> {
  const prefix = `bench-${process.pid}-${++caseNumber}-${kind}`;
  const spec: WorkerSpec = {
    mode: kind.startsWith('herald') ? 'herald' : 'raw',
    metrics: kind !== 'herald-nometrics',
    ...redis,
    prefix,
    concurrency: CONCURRENCY,
    recordLatency,
  };
  const worker = await WorkerChild.start(spec);
  try {
    const producer = await makeProducer(kind, redis, prefix);
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
