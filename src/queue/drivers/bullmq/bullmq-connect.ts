import type { Worker } from 'bullmq';
import { HeraldError } from '../../../errors.js';
import type { BullMqWorkerSource } from './bullmq-worker-source.js';

/**
 * Waits until every BullMQ worker has connected, for at most the connection's
 * `unavailableTimeout`. Undefined once connected; otherwise the `queue_unavailable` error to
 * give up with (naming the Redis address and the fix), the workers left for the caller to close.
 * A worker that did connect keeps reconnecting by itself later (test/fault/redis-restart).
 * A worker that connected to Redis but cannot read its queues there (a cluster node named as a
 * single server answers MOVED) gives up too, instead of idling as "working" while jobs wait.
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
  // A cluster client's first connect can reject (no seed answered) where one server's retries.
  let failed: Error | undefined;
  const connected = Promise.all(workers.map((worker) => worker.waitUntilReady())).catch((error: unknown) => {
    failed = error instanceof Error ? error : new Error(String(error));
    return 'failed' as const;
  });
  try {
    if ((await Promise.race([connected, late])) === 'late') failed = lastError();
    else if (failed === undefined) return await readable(driver);
  } finally {
    clearTimeout(timer);
  }
  const cause = failed ?? lastError();
  return new HeraldError(
    'queue_unavailable',
    `The worker could not reach Redis at ${driver.redis} (queue connection "${driver.connection}") within ${timeoutMs} ms: ${cause === undefined ? 'no answer' : cause.message}. Start Redis or fix the connection's url/host/port (or cluster.nodes) in herald.config, then start the worker again (the connection's unavailableTimeout sets how long it waits).`,
    ...(cause === undefined ? [] : [{ cause }]),
  );
}

/** Undefined when the connection's producer side connects and finds its queues readable. */
async function readable(driver: BullMqWorkerSource): Promise<HeraldError | undefined> {
  try {
    await driver.queue(driver.defaultQueue);
    return undefined;
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
}
