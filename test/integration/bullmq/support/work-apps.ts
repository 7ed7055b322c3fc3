import { Queue } from 'bullmq';
import { afterEach } from 'vitest';
import { createHerald, type Herald } from '../../../../src/index.js';
import { testRedisUrl } from '../../../support/redis-url.js';
import { LISTENERS, openGate, Ping, QUEUE, resetWorkRecords } from './work-listeners.js';

/** The apps and helpers of one bullmq work-options test file (see {@link useBullmqWorkApps}). */
export interface BullmqWorkApps {
  /** Apps booted by a test (closed after each test); push an app built by hand here. */
  readonly apps: Herald[];
  /** Boots an app with every listener on the shared test Redis under `prefix`. */
  app(prefix: string): Promise<Herald>;
  /** The job counts of the pings queue under `prefix`. */
  counts(prefix: string): Promise<Record<string, number>>;
  /** Dispatches pings `from` … `from + count - 1`, one after the other. */
  dispatchPings(herald: Herald, count: number, from?: number): Promise<void>;
}

/**
 * Registers, for the calling describe block, an afterEach that opens the gate, closes the apps and
 * queues the test made and resets the listeners' records; returns the helpers that make them.
 */
export function useBullmqWorkApps(): BullmqWorkApps {
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  afterEach(async () => {
    openGate();
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await Promise.allSettled(queues.splice(0).map((queue) => queue.close()));
    resetWorkRecords();
  });

  async function app(prefix: string): Promise<Herald> {
    const herald = await createHerald({
      listeners: LISTENERS,
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
      },
    });
    apps.push(herald);
    return herald;
  }

  function counts(prefix: string): Promise<Record<string, number>> {
    const queue = new Queue(QUEUE, { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    return queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  }

  async function dispatchPings(herald: Herald, count: number, from = 1): Promise<void> {
    for (let n = from; n < from + count; n++) await herald.dispatch(new Ping(n));
  }

  return { apps, app, counts, dispatchPings };
}
