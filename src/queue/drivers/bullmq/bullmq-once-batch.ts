import type { JobJson, JobsOptions, Queue } from 'bullmq';
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

/** Sets every marker in KEYS with the expiry ARGV[1] (ms): one command for a batch's markers. */
const SET_MARKERS = `
for _, key in ipairs(KEYS) do
  redis.call('SET', key, '1', 'PX', ARGV[1])
end
return #KEYS`;

/**
 * Adds each job under the BullMQ id `outbox-<once>` unless the marker of its `once` exists; the
 * batch's new markers and jobs in one MULTI, so a crash stores all of them or none (Redis
 * applies a MULTI whole). The check before is not atomic with the MULTI, and need not be: the
 * outbox relay holds the rows' locks (`FOR UPDATE`) while it pushes, so no other relay pushes
 * the same ids meanwhile. The job id also makes BullMQ itself ignore a second add while the
 * first job is still kept.
 *
 * Two round trips for the whole batch, and few commands: one MGET of the markers (they share the
 * queue's hash slot), then MULTI, one script setting the new markers, BullMQ's add script per
 * new job, EXEC. (A MULTI per job, or a command per marker, cost the relay most of its time:
 * `npm run bench:outbox`.) Resolves with each item's error, or undefined when its job is stored
 * (now or by an earlier push of the same id). A job whose add script fails inside the MULTI
 * fails its push, and its marker, set all the same (MULTI does not roll back a failed command),
 * is deleted again so the row's next push stores the job.
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
  let seen: (string | null)[];
  try {
    seen = await client.mget(...markers);
  } catch (error) {
    return errors.fill(error);
  }
  const pipeline: ChainableCommander = client.pipeline();
  const sent: number[] = [];
  const jsons: [number, JobJson, string][] = [];
  items.forEach((item, index) => {
    if (seen[index] !== null && seen[index] !== undefined) return;
    try {
      const jobId = `outbox-${item.once}`;
      const built = new CheckedJob(queue, item.job.data.listener, item.job.data, {
        ...optionsOf(item.job),
        jobId,
      });
      const json = built.asJSON();
      built.validate(json);
      jsons.push([index, json, jobId]);
    } catch (error) {
      errors[index] = error;
    }
  });
  if (jsons.length === 0) return errors;
  // ioredis types leave multi() off pipelines; a pipeline sends it as one more command.
  (pipeline as unknown as { multi(): void }).multi();
  const newMarkers = jsons.map(([index]) => markers[index] as string);
  pipeline.eval(SET_MARKERS, newMarkers.length, ...newMarkers, String(ONCE_MARKER_TTL_MS));
  for (const [index, json, jobId] of jsons) {
    // Queues the add script inside the MULTI, synchronously; its reply comes from exec().
    backend.addJobToTransaction(pipeline as never, json, jobId).catch(() => {});
    sent.push(index);
  }
  // Inside a pipeline, exec() after multi() queues EXEC instead of sending.
  pipeline.exec();
  const replies = (await pipeline.exec()) ?? [];
  const results = execResults(replies[replies.length - 1]);
  const addFailed: string[] = [];
  sent.forEach((index, at) => {
    // results[0] is the markers script's; the adds follow in order.
    errors[index] = Array.isArray(results) ? (errorOf(results[0]) ?? errorOf(results[at + 1])) : results;
    if (Array.isArray(results) && errorOf(results[0]) === undefined && errors[index] !== undefined) {
      addFailed.push(markers[index] as string);
    }
  });
  // MULTI does not roll back: an add script that failed inside it left its marker set, and the
  // next relay would take the marker for a stored job and delete the row with no job. Remove
  // those markers; if that fails too, the push fails all the same and the row stays.
  if (addFailed.length > 0) await client.del(...addFailed).catch(() => {});
  return errors;
}

/** The results of the MULTI from its EXEC reply, or the error that stopped all of it. */
function execResults(reply: [Error | null, unknown] | undefined): unknown[] | Error {
  if (reply === undefined) return new Error('Redis sent no reply to the EXEC that adds the jobs');
  const [error, results] = reply;
  if (error !== null) return error;
  if (!Array.isArray(results)) return new Error('Redis aborted the MULTI that adds the jobs');
  return results;
}

function errorOf(result: unknown): Error | undefined {
  return result instanceof Error ? result : undefined;
}
