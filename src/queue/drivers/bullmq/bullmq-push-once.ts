import type { JobsOptions, Queue } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import type { BullMqConnectionConfig } from '../../connection-config.js';
import type { QueuedJob } from '../../job/queued-job.js';
import { forgetOnceMarker, ONCE_MARKER_TTL_MS } from '../../redis/once-marker.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { confirmReplicas } from '../../redis/replica-wait.js';
import { CheckedJob } from './bullmq-batch.js';
import { sharedBullMqJobOptions } from './bullmq-job-options.js';
import { storeError, unavailableError } from './push-errors.js';

/** What a push-once reads of the driver (its public side). */
export interface PushOnceSource {
  readonly connection: string;
  readonly config: BullMqConnectionConfig;
  readonly redis: string;
  readonly defaultQueue: string;
  readonly unavailableTimeout: number;
  queue(name: string): Promise<Queue>;
}

/** The marker of a push-once id beside the queue's keys (`<prefix>:<queue>:outbox:<id>`, its slot). */
function onceMarkerKey(queue: Queue, once: string): string {
  return `${queue.qualifiedName}:outbox:${once}`;
}

/**
 * Adds the job under the BullMQ id `outbox-<once>` unless the marker of `once` exists, the
 * marker and the job in one MULTI, so either both are stored or neither. The check before it is
 * not atomic with the MULTI, and needs not be: the outbox relay holds the row's lock
 * (`FOR UPDATE`) while it pushes, so no other relay pushes the same id meanwhile. The job id
 * also makes BullMQ itself ignore a second add while the first job is still kept. Resolves true
 * when it added the job.
 */
async function storeOnce(queue: Queue, job: QueuedJob, once: string, options: JobsOptions): Promise<boolean> {
  const backend = queue.backend;
  const client = (await backend.client) as unknown as Redis;
  const marker = onceMarkerKey(queue, once);
  if ((await client.exists(marker)) === 1) return false;
  const jobId = `outbox-${once}`;
  const built = new CheckedJob(queue, job.data.listener, job.data, { ...options, jobId });
  const json = built.asJSON();
  built.validate(json);
  const multi: ChainableCommander = client.multi();
  multi.set(marker, '1', 'PX', ONCE_MARKER_TTL_MS);
  // Queues the add script on the MULTI, synchronously; its reply comes from exec().
  backend.addJobToTransaction(multi as never, json, jobId).catch(() => {});
  const replies = await multi.exec();
  if (replies === null) throw new Error('Redis aborted the MULTI that adds the job');
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined) throw failed[0];
  return true;
}

/** `QueueDriver.pushOnce` of the bullmq driver: {@link storeOnce}, then `waitForReplicas`. */
export async function pushOnce(source: PushOnceSource, job: QueuedJob, once: string): Promise<void> {
  let client: RedisClient;
  try {
    const queue = await source.queue(job.options.queue ?? source.defaultQueue);
    await storeOnce(queue, job, once, sharedBullMqJobOptions(job.options));
    client = (await queue.backend.client) as unknown as RedisClient;
  } catch (error) {
    throw storeError(error, [job], source.redis, (cause) =>
      unavailableError(cause, 'store the job', source.connection, source.redis),
    );
  }
  if ((source.config.waitForReplicas ?? 0) === 0) return;
  const context = { connection: source.connection, redis: source.redis, what: 'job' };
  const short = await confirmReplicas(client, source.config, source.unavailableTimeout, context);
  if (short !== undefined) throw short;
}

/** `QueueDriver.forgetOnce` of the bullmq driver: the marker expires after a grace period. */
export async function forgetOnce(source: PushOnceSource, job: QueuedJob, once: string): Promise<void> {
  const queue = await source.queue(job.options.queue ?? source.defaultQueue);
  const client = (await queue.backend.client) as unknown as RedisClient;
  await forgetOnceMarker(client, onceMarkerKey(queue, once), source.unavailableTimeout);
}
