import type { KeepJobs } from 'bullmq';
import type { BullMqConnectionConfig } from '../../connection-config.js';

/** Completed jobs kept by default: the last 1000, for at most an hour. */
const DEFAULT_REMOVE_ON_COMPLETE: KeepJobs = { count: 1000, age: 3600 };
/** Failed jobs kept by default, for `queue:failed`: the last 10,000, for at most a week. */
const DEFAULT_REMOVE_ON_FAIL: KeepJobs = { count: 10_000, age: 7 * 24 * 3600 };

type RetentionOption = BullMqConnectionConfig['removeOnComplete'];

/** BullMQ's reading of a job-level `removeOn*` value, as the worker-level object it takes. */
function keepJobsOf(value: RetentionOption, fallback: KeepJobs): KeepJobs {
  if (value === undefined) return fallback;
  if (typeof value === 'object') {
    if (value.age !== undefined)
      return value.count === undefined ? { age: value.age } : { age: value.age, count: value.count };
    // An object with neither limit keeps every job, as BullMQ reads it on a job.
    return { count: value.count ?? -1 };
  }
  if (typeof value === 'number') return { count: value };
  // true: remove at once (keep none); false: keep every job.
  return { count: value ? 0 : -1 };
}

/**
 * How many finished jobs Redis keeps, as BullMQ Worker options. Retention lives on the worker
 * rather than on each job (BullMQ uses the worker's setting for jobs that carry none): every
 * job stays smaller in Redis and cheaper to write and read, and a change of retention applies
 * to jobs already queued once workers restart with it.
 */
export function workerRetention(config: BullMqConnectionConfig): {
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
} {
  return {
    removeOnComplete: keepJobsOf(config.removeOnComplete, DEFAULT_REMOVE_ON_COMPLETE),
    removeOnFail: keepJobsOf(config.removeOnFail, DEFAULT_REMOVE_ON_FAIL),
  };
}
