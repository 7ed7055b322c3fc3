import type { Worker } from 'bullmq';
import { HeraldError } from '../../../errors.js';
import { describeRedis } from '../../redis/redis-options.js';
import type { BullMqWorkerSource } from './bullmq-worker-source.js';

/**
 * Waits until every BullMQ worker has connected, for at most the connection's
 * `unavailableTimeout`. Undefined once connected; otherwise the `queue_unavailable` error to
 * give up with (naming the Redis address and the fix), the workers left for the caller to close.
 * A worker that did connect keeps reconnecting by itself later (test/fault/redis-restart).
 */
export async function connectWithin(
  workers: readonly Worker[],
  driver: BullMqWorkerSource,
  lastError: () => Error | undefined,
): Promise<HeraldError | undefined> {
  const timeoutMs = driver.unavailableTimeout;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const connected = Promise.all(workers.map((worker) => worker.waitUntilReady()));
  try {
    if ((await Promise.race([connected, late])) !== 'late') return undefined;
  } finally {
    clearTimeout(timer);
  }
  const cause = lastError();
  return new HeraldError(
    'queue_unavailable',
    `The worker could not reach Redis at ${describeRedis(driver.redisOptions)} (queue connection "${driver.connection}") within ${timeoutMs} ms: ${cause === undefined ? 'no answer' : cause.message}. Start Redis or fix the connection's url/host/port in herald.config, then start the worker again (the connection's unavailableTimeout sets how long it waits).`,
    ...(cause === undefined ? [] : [{ cause }]),
  );
}
