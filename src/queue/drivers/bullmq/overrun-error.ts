import type { Job } from 'bullmq';
import { HeraldError } from '../../../errors.js';

/**
 * The error a BullMQ worker's `stopped` rejects with when a handler is still running `graceMs`
 * after its timeout: what happened, what the worker did, and the fix
 * (test/fault/timeout-overrun.test.ts).
 */
export function overrunError(job: Job, jobId: string, graceMs: number): HeraldError {
  const listener = (job.data as { listener?: unknown } | undefined)?.listener;
  return new HeraldError(
    'timeout',
    `${typeof listener === 'string' ? listener : 'A listener'} (job ${jobId}) ignored its timeout: it was still running ${graceMs} ms after ctx.signal aborted. This worker took no more jobs, let the others finish and stopped, so that its process manager can start a fresh one; the job comes back after lockDuration and the attempt counts toward its tries. Make the listener stop when ctx.signal aborts.`,
  );
}
