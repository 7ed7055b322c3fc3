import type { Job, Worker } from 'bullmq';
import { HeraldError } from '../../../errors.js';
import { type CorruptFields, corruptFieldsOf } from './corrupt-job-fields.js';
import type { RawDataJob } from './raw-data-job.js';

/**
 * The attempt a fetched job is on: BullMQ's started attempts (`ats`, counted when the job
 * moved to active), so an attempt whose worker died counts (test/fault/double-kill.test.ts).
 * Never below `attemptsMade + 1`, for jobs stored before BullMQ counted starts.
 */
export function attemptNumberOf(job: Job): number {
  return Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
}

/** The previous attempt's error as BullMQ kept it (its message), if the job was retried. */
export function previousErrorOf(job: Job): Error | undefined {
  return job.attemptsMade > 0 && typeof job.failedReason === 'string' && job.failedReason !== ''
    ? new Error(job.failedReason)
    : undefined;
}

/**
 * Why a fetched job must fail without an attempt, when its queue says so: its stored hash was
 * unreadable (repaired first, so BullMQ's scripts can move it to failed), or BullMQ's own stall
 * limit (`maxStalledCount`) ran out. Undefined, synchronously, for a job that may run: no extra
 * promise on the hot path.
 */
export function failureBeforeRun(worker: Worker, job: Job): Error | Promise<Error> | undefined {
  const corrupt = corruptFieldsOf(job.opts);
  if (corrupt !== undefined) return repairedCorruptJob(worker, job, corrupt);
  const deferred = (job as RawDataJob).heraldDeferredFailure;
  if (deferred === undefined) return undefined;
  return new HeraldError(
    'job_failed',
    `BullMQ gave up on the job: ${deferred} (it was taken back from dead workers more than the connection's maxStalledCount allows). Leave maxStalledCount unset to let \`tries\` bound crashed attempts instead.`,
  );
}

async function repairedCorruptJob(worker: Worker, job: Job, corrupt: CorruptFields): Promise<Error> {
  const client = await worker.backend.client;
  await client.hset(worker.toKey(job.id ?? ''), corrupt.repair);
  return new HeraldError(
    'bad_payload',
    `The job's stored ${corrupt.reason}: its Redis hash was edited or cut short. The job is failed so the worker can go on; dispatch the event again if it should still run.`,
  );
}
