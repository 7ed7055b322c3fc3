import type { JobsOptions } from 'bullmq';
import type { JobOptions } from '../../job/queued-job.js';
import type { AttemptInfo } from '../../runner/attempt.js';

/** The custom BullMQ backoff type whose delay herald's JobRunner computes. */
export const HERALD_BACKOFF_TYPE = 'herald';

/** What herald stores in BullMQ's job options beside BullMQ's own fields. */
export interface HeraldJobOptions {
  readonly backoff: JobOptions['backoff'];
  readonly timeout: number | undefined;
  readonly retryUntil: number | undefined;
}

/**
 * BullMQ options for a herald job. Retries are BullMQ's (`attempts`), but each retry's delay
 * comes from the JobRunner through the custom backoff type, so `backoff` arrays, jitter and
 * `ctx.release(delay)` behave as on the memory driver. BullMQ keeps unknown option keys, which is
 * where the runner's per-job settings travel (`herald`), leaving the wire-format data untouched.
 */
export function bullMqJobOptions(options: JobOptions): JobsOptions {
  // No jobId: BullMQ numbers the jobs (why: bullmq-job-id.ts).
  // No retention either: the worker applies it (bullmq-retention.ts).
  const jobOptions: JobsOptions & { herald?: HeraldJobOptions } = {};
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

/** The attempt options of a job that has none of its own: one try, no backoff or limits. */
const ONE_TRY: AttemptInfo['options'] = Object.freeze({
  tries: 1,
  backoff: undefined,
  timeout: undefined,
  retryUntil: undefined,
});

/** Reads a BullMQ job's options back into the runner's attempt options. */
export function attemptOptionsOf(opts: JobsOptions | undefined): AttemptInfo['options'] {
  const stored = (opts as { herald?: Partial<HeraldJobOptions> } | undefined)?.herald;
  // BullMQ stores attempts 0 when none was given (a one-try job carries no attempts option).
  const tries = Math.max(1, opts?.attempts ?? 1);
  if (stored === undefined && tries === 1) return ONE_TRY;
  return { tries, backoff: stored?.backoff, timeout: stored?.timeout, retryUntil: stored?.retryUntil };
}

const sharedOptions = new WeakMap<JobOptions, JobsOptions>();

/**
 * {@link bullMqJobOptions}, made once per JobOptions object: a listener without option methods
 * shares one JobOptions across its jobs (queue-bridge.ts), and BullMQ copies the options into
 * each job it adds.
 */
export function sharedBullMqJobOptions(options: JobOptions): JobsOptions {
  let made = sharedOptions.get(options);
  if (made === undefined) {
    made = bullMqJobOptions(options);
    sharedOptions.set(options, made);
  }
  return made;
}
