import type { JobsOptions, Queue } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import type { QueuedJob } from '../../job/queued-job.js';
import { ONCE_MARKER_TTL_MS } from '../../redis/once-marker.js';
import { CheckedJob } from './bullmq-batch.js';

/** One push-once of a batch: the job and its once id. */
export interface OnceItem {
  readonly job: QueuedJob;
  readonly once: string;
}

/** The marker of a push-once id beside the queue's keys (`<prefix>:<queue>:outbox:<id>`, its slot). */
export function onceMarkerKey(queue: Queue, once: string): string {
  return `${queue.qualifiedName}:outbox:${once}`;
}

/** Commands each item queues on the pipeline: MULTI, SET marker, the add script, EXEC. */
const COMMANDS_PER_ITEM = 4;

/**
 * Adds each job under the BullMQ id `outbox-<once>` unless the marker of its `once` exists, the
 * marker and the job in one MULTI, so either both are stored or neither. The checks before are
 * not atomic with the MULTIs, and need not be: the outbox relay holds the rows' locks
 * (`FOR UPDATE`) while it pushes, so no other relay pushes the same ids meanwhile. The job id
 * also makes BullMQ itself ignore a second add while the first job is still kept.
 *
 * Two round trips for the whole batch, whatever its size: one pipeline of EXISTS, then one
 * pipeline holding a MULTI/EXEC block per new job (a pipeline and a MULTI per job cost the relay
 * most of its time: `npm run bench:outbox`). Resolves with each item's error, or undefined when
 * its job is stored (now or by an earlier push of the same id).
 */
export async function storeOnceBatch(
  queue: Queue,
  items: readonly OnceItem[],
  optionsOf: (job: QueuedJob) => JobsOptions,
): Promise<unknown[]> {
  const backend = queue.backend;
  const client = (await backend.client) as unknown as Redis;
  const markers = items.map((item) => onceMarkerKey(queue, item.once));
  const errors: unknown[] = new Array(items.length).fill(undefined);
  const checks = client.pipeline();
  for (const marker of markers) checks.exists(marker);
  const seen = (await checks.exec()) ?? [];
  const pipeline: ChainableCommander = client.pipeline();
  const sent: number[] = [];
  items.forEach((item, index) => {
    const [error, exists] = seen[index] ?? [new Error('Redis sent no reply to EXISTS'), 0];
    if (error !== null) {
      errors[index] = error;
      return;
    }
    if (exists === 1) return;
    try {
      const jobId = `outbox-${item.once}`;
      const built = new CheckedJob(queue, item.job.data.listener, item.job.data, {
        ...optionsOf(item.job),
        jobId,
      });
      const json = built.asJSON();
      built.validate(json);
      // ioredis types leave multi() off pipelines; a pipeline sends it as one more command.
      (pipeline as unknown as { multi(): void }).multi();
      pipeline.set(markers[index] as string, '1', 'PX', ONCE_MARKER_TTL_MS);
      // Queues the add script inside the MULTI, synchronously; its reply comes from exec().
      backend.addJobToTransaction(pipeline as never, json, jobId).catch(() => {});
      // Inside a pipeline, exec() after multi() queues EXEC instead of sending.
      pipeline.exec();
      sent.push(index);
    } catch (error) {
      errors[index] = error;
    }
  });
  if (sent.length === 0) return errors;
  const replies = (await pipeline.exec()) ?? [];
  sent.forEach((index, at) => {
    errors[index] = execError(replies[at * COMMANDS_PER_ITEM + COMMANDS_PER_ITEM - 1]);
  });
  return errors;
}

/** The error of one MULTI/EXEC block from its EXEC reply, or undefined when all of it ran. */
function execError(reply: [Error | null, unknown] | undefined): unknown {
  if (reply === undefined) return new Error('Redis sent no reply to the EXEC that adds the job');
  const [error, results] = reply;
  if (error !== null) return error;
  if (!Array.isArray(results)) return new Error('Redis aborted the MULTI that adds the job');
  return results.find((result) => result instanceof Error);
}
