import type { Queue } from 'bullmq';
import type { QueueStateCounts, QueueStateReader } from '../../queue-states.js';
import { adminCall } from './admin-call.js';

/** What counting reads of its bullmq driver, when asked (the driver is made before its fields). */
export interface CountedDriver {
  readonly connection: string;
  readonly redis: string;
  queue(name: string): Promise<Queue>;
}

/**
 * The jobs of bullmq queues by state, on the driver's producer connection: one `getJobCounts`
 * (a pipeline of counts) per queue. A Redis that does not answer fails within the driver's
 * `unavailableTimeout` with `queue_unavailable` naming the connection.
 */
export class BullMqQueueStates implements QueueStateReader {
  readonly #driver: CountedDriver;

  constructor(driver: CountedDriver) {
    this.#driver = driver;
  }

  count(queues: readonly string[]): Promise<QueueStateCounts[]> {
    return adminCall(this.#driver, 'count the jobs by state', async () => {
      const counts: QueueStateCounts[] = [];
      for (const name of queues) {
        const queue = await this.#driver.queue(name);
        const n = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
        const waiting = (n.wait ?? 0) + (n.prioritized ?? 0);
        counts.push({
          queue: name,
          waiting,
          active: n.active ?? 0,
          delayed: n.delayed ?? 0,
          failed: n.failed ?? 0,
        });
      }
      return counts;
    });
  }
}
