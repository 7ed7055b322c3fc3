import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HeraldError } from '../../../errors.js';
import type { BullMqConnectionConfig } from '../../connection-config.js';
import type { QueuedJob } from '../../job/queued-job.js';
import { onceMarkerGraceMs } from '../../redis/once-marker.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { confirmReplicas } from '../../redis/replica-wait.js';
import { MAX_BATCH } from './bullmq-batch.js';
import { sharedBullMqJobOptions } from './bullmq-job-options.js';
import { type OnceItem, onceMarkerKey, storeOnceBatch } from './bullmq-once-batch.js';
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

/** A push-once or a forget waiting for its tick's batch, with its promise's settle functions. */
interface Pending extends OnceItem {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What each driver's open batches hold, per kind and queue name. */
interface OpenBatches {
  readonly push: Map<string, Pending[]>;
  readonly forget: Map<string, Pending[]>;
}

const open = new WeakMap<PushOnceSource, OpenBatches>();

/**
 * Adds `item` to the open batch of its kind and queue on `source`, opening one that closes (and
 * runs `run`) when this microtask queue drains or once it holds {@link MAX_BATCH} items: the
 * relay pushes a whole claimed batch in one tick, so its rows share round trips.
 */
function enqueue(
  source: PushOnceSource,
  kind: keyof OpenBatches,
  item: OnceItem,
  run: (source: PushOnceSource, name: string, items: readonly Pending[]) => Promise<void>,
): Promise<void> {
  let batches = open.get(source);
  if (batches === undefined) {
    batches = { push: new Map(), forget: new Map() };
    open.set(source, batches);
  }
  const byQueue = batches[kind];
  const name = item.job.options.queue ?? source.defaultQueue;
  let batch = byQueue.get(name);
  if (batch === undefined) {
    const items: Pending[] = [];
    batch = items;
    byQueue.set(name, items);
    queueMicrotask(() => {
      if (byQueue.get(name) === items) byQueue.delete(name);
      void run(source, name, items);
    });
  }
  const pending = batch;
  return new Promise<void>((resolve, reject) => {
    pending.push({ ...item, resolve, reject });
    if (pending.length >= MAX_BATCH) byQueue.delete(name);
  });
}

/**
 * `QueueDriver.pushOnce` of the bullmq driver: the job under the BullMQ id `outbox-<once>` and
 * the marker of `once`, atomically, unless the marker exists (bullmq-once-batch.ts); then
 * `waitForReplicas`. Push-onces of one tick share their round trips.
 */
export function pushOnce(source: PushOnceSource, job: QueuedJob, once: string): Promise<void> {
  return enqueue(source, 'push', { job, once }, storeBatch);
}

async function storeBatch(source: PushOnceSource, name: string, items: readonly Pending[]): Promise<void> {
  const fail = (item: Pending, error: unknown) =>
    item.reject(
      storeError(error, [item.job], source.redis, (cause) =>
        unavailableError(cause, 'store the job', source.connection, source.redis),
      ),
    );
  let errors: unknown[];
  let client: RedisClient;
  try {
    const queue = await source.queue(name);
    errors = await storeOnceBatch(queue, items, (job) => sharedBullMqJobOptions(job.options));
    client = (await queue.backend.client) as unknown as RedisClient;
  } catch (error) {
    for (const item of items) fail(item, error);
    return;
  }
  const stored = items.filter((item, index) => {
    const error = errors[index];
    if (error !== undefined) fail(item, error);
    return error === undefined;
  });
  if (stored.length === 0) return;
  let short: HeraldError | undefined;
  if ((source.config.waitForReplicas ?? 0) > 0) {
    const context = { connection: source.connection, redis: source.redis, what: 'job' };
    try {
      short = await confirmReplicas(client, source.config, source.unavailableTimeout, context);
    } catch (error) {
      for (const item of stored) item.reject(error);
      return;
    }
  }
  for (const item of stored) {
    // One WAIT covers the batch; each push rejects with its own copy of a shortfall.
    if (short === undefined) item.resolve();
    else item.reject(new HeraldError(short.kind, short.message, { cause: short.cause }));
  }
}

/**
 * `QueueDriver.forgetOnce` of the bullmq driver: the markers expire after a grace period
 * (once-marker.ts) rather than go at once, one pipeline of PEXPIREs per tick and queue.
 */
export function forgetOnce(source: PushOnceSource, job: QueuedJob, once: string): Promise<void> {
  return enqueue(source, 'forget', { job, once }, expireMarkers);
}

async function expireMarkers(source: PushOnceSource, name: string, items: readonly Pending[]): Promise<void> {
  try {
    const queue = await source.queue(name);
    const client = (await queue.backend.client) as unknown as Redis;
    const graceMs = onceMarkerGraceMs(source.unavailableTimeout);
    // The markers share the queue's hash slot (its prefix), so one pipeline serves a cluster too.
    const pipeline = client.pipeline();
    for (const item of items) pipeline.pexpire(onceMarkerKey(queue, item.once), graceMs);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
    for (const item of items) item.resolve();
  } catch (error) {
    for (const item of items) item.reject(error);
  }
}
