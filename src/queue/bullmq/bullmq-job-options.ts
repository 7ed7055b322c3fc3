import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { BullMqConnectionConfig } from '../../config/config-types.js';
import type { JobOptions } from '../job-options.js';

/** The custom BullMQ backoff type whose delay herald's JobRunner computes. */
export const HERALD_BACKOFF_TYPE = 'herald';

/** What herald stores in BullMQ's job options beside BullMQ's own fields. */
export interface HeraldJobOptions {
  readonly backoff: JobOptions['backoff'];
  readonly timeout: number | undefined;
  readonly retryUntil: number | undefined;
}

const DEFAULT_REMOVE_ON_COMPLETE = { count: 1000, age: 3600 };
const DEFAULT_REMOVE_ON_FAIL = { count: 10_000, age: 7 * 24 * 3600 };

/**
 * BullMQ options for a herald job. Retries are BullMQ's (`attempts`), but each retry's delay
 * comes from the JobRunner through the custom backoff type, so `backoff` arrays, jitter and
 * `ctx.release(delay)` behave as on the memory driver. BullMQ keeps unknown option keys, which is
 * where the runner's per-job settings travel (`herald`), leaving the wire-format data untouched.
 */
export function bullMqJobOptions(options: JobOptions, config: BullMqConnectionConfig): JobsOptions {
  const jobOptions: JobsOptions & { herald?: HeraldJobOptions } = {
    jobId: randomUUID(),
    removeOnComplete: (config.removeOnComplete ??
      DEFAULT_REMOVE_ON_COMPLETE) as JobsOptions['removeOnComplete'],
    removeOnFail: (config.removeOnFail ?? DEFAULT_REMOVE_ON_FAIL) as JobsOptions['removeOnFail'],
  };
  // Every option BullMQ stores is work for Redis and the worker on each job: only what differs
  // from the defaults goes in (a one-try job needs no attempts, backoff or runner settings).
  if (options.tries > 1 || options.retryUntil !== undefined) {
    // retryUntil replaces tries (Laravel's rule): the runner stops retrying at the deadline.
    jobOptions.attempts = options.retryUntil === undefined ? options.tries : Number.MAX_SAFE_INTEGER;
    jobOptions.backoff = { type: HERALD_BACKOFF_TYPE };
  }
  if (options.backoff !== undefined || options.timeout !== undefined || options.retryUntil !== undefined) {
    jobOptions.herald = {
      backoff: options.backoff,
      timeout: options.timeout,
      retryUntil: options.retryUntil,
    };
  }
  if (options.delay > 0) jobOptions.delay = options.delay;
  if (options.priority !== undefined) jobOptions.priority = options.priority;
  if (options.unique !== undefined) {
    jobOptions.deduplication =
      options.unique.ttl === undefined
        ? { id: options.unique.id }
        : { id: options.unique.id, ttl: options.unique.ttl };
  }
  return jobOptions;
}

/** Reads herald's per-job settings back off a BullMQ job's options. */
export function heraldJobOptionsOf(opts: unknown): HeraldJobOptions {
  const stored = (opts as { herald?: Partial<HeraldJobOptions> } | undefined)?.herald;
  return { backoff: stored?.backoff, timeout: stored?.timeout, retryUntil: stored?.retryUntil };
}
