import type { Job } from 'bullmq';
import type { AttemptResult } from '../../runner/attempt.js';
import type { JobReport } from '../../worker/work-options.js';

/** What `onJob` hears of one finished attempt of a BullMQ job. */
export function jobReportOf(
  queue: string,
  job: Job,
  jobId: string,
  attempt: number,
  started: number,
  result: AttemptResult,
): JobReport {
  const data = job.data as { listener?: unknown; event?: unknown } | undefined;
  return {
    time: new Date(),
    queue,
    jobId,
    listener: typeof data?.listener === 'string' ? data.listener : '?',
    event: typeof data?.event === 'string' ? data.event : '?',
    attempt,
    durationMs: Math.round(performance.now() - started),
    outcome: result.status === 'retry' ? 'retrying' : result.status,
    ...(result.status === 'completed' ? {} : { error: result.error.message }),
  };
}
