import type { Queue } from 'bullmq';
import type { BacklogQuery, ListenerBacklog } from '../../backlog.js';
import type { HeraldKeys } from '../../driver.js';
import type { RedisClient } from '../../redis/redis-client.js';

/** What the backlog reads of the bullmq driver: its queues on the producer connection. */
export interface BullMqQueues {
  readonly prefix: string;
  readonly defaultQueue: string;
  queue(name: string): Promise<Queue>;
}

/** The producer connection (connected) and prefix, for herald's metrics keys. */
export async function bullmqHeraldKeys(driver: BullMqQueues): Promise<HeraldKeys> {
  const queue = await driver.queue(driver.defaultQueue);
  return { client: (await queue.getBackend().client) as unknown as RedisClient, prefix: driver.prefix };
}

/**
 * Each listener's backlog: the counts of its queue (BullMQ counts per queue, so listeners
 * sharing a queue show the same numbers), and the age of the queue's oldest waiting job (the
 * tail of BullMQ's wait list, which workers take from).
 */
export async function bullmqBacklog(
  driver: BullMqQueues,
  listeners: readonly BacklogQuery[],
): Promise<ListenerBacklog[]> {
  const byQueue = new Map<string, Promise<Omit<ListenerBacklog, 'listener'>>>();
  const now = Date.now();
  for (const { queue: name } of listeners) {
    if (byQueue.has(name)) continue;
    byQueue.set(
      name,
      (async () => {
        const queue = await driver.queue(name);
        const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
        const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
        const dispatchedAt =
          oldest === undefined ? Number.NaN : dispatchTimeOf(oldest.data, oldest.timestamp);
        return {
          waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          oldestWaitingMs: Number.isNaN(dispatchedAt) ? null : Math.max(0, now - dispatchedAt),
          shared: true,
        };
      })(),
    );
  }
  return Promise.all(
    listeners.map(async ({ listener, queue }) => ({
      listener,
      ...(await (byQueue.get(queue) as Promise<Omit<ListenerBacklog, 'listener'>>)),
    })),
  );
}

/** The job's `dispatchedAt`, else the time BullMQ stored it. */
function dispatchTimeOf(data: unknown, timestamp: number): number {
  const at = (data as { dispatchedAt?: unknown } | undefined)?.dispatchedAt;
  return typeof at === 'string' ? Date.parse(at) : timestamp;
}
