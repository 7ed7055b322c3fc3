import type { Queue } from 'bullmq';
import type { QueueJobCount } from '../../queue-admin.js';

/** The BullMQ states of a job that has not started: what `queue:clear` deletes. */
const PENDING_STATES = ['wait', 'paused', 'prioritized', 'delayed'] as const;

/**
 * Deletes the waiting, prioritised, paused and delayed jobs of BullMQ queues (Laravel's
 * `queue:clear`); active, completed and failed jobs stay. BullMQ's `clean` removes each job with
 * its deduplication key (a `unique` listener can be queued again) and returns the ids it removed,
 * so the count is exact even while producers add jobs.
 */
export async function clearBullMqQueues(
  queueOf: (name: string) => Promise<Queue>,
  names: readonly string[],
): Promise<QueueJobCount[]> {
  const cleared: QueueJobCount[] = [];
  for (const name of names) {
    const queue = await queueOf(name);
    let deleted = 0;
    // limit 0 = no limit; grace 0 = every job added up to now.
    for (const state of PENDING_STATES) deleted += (await queue.clean(0, 0, state)).length;
    cleared.push({ queue: name, jobs: deleted });
  }
  return cleared;
}
