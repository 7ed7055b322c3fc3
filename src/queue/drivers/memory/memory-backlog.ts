import type { BacklogQuery, ListenerBacklog } from '../../backlog.js';
import type { QueuedJob } from '../../job/queued-job.js';

/** The memory driver's jobs by state, as its backlog reads them. */
export interface MemoryJobs {
  readonly waiting: Iterable<{ readonly job: QueuedJob }>;
  readonly running: Iterable<{ readonly job: QueuedJob }>;
  readonly delayed: Iterable<{ readonly job: QueuedJob }>;
  /** Failed jobs kept for a listener. */
  failed(listener: string): number;
}

/** Each listener's own jobs in this process, and the age of its oldest waiting one. */
export function memoryBacklog(jobs: MemoryJobs, listeners: readonly BacklogQuery[]): ListenerBacklog[] {
  const now = Date.now();
  const count = (entries: Iterable<{ readonly job: QueuedJob }>, listener: string) => {
    let n = 0;
    for (const { job } of entries) if (job.data.listener === listener) n++;
    return n;
  };
  return listeners.map(({ listener }) => {
    let oldest: number | null = null;
    for (const { job } of jobs.waiting) {
      if (job.data.listener !== listener) continue;
      const age = Math.max(0, now - Date.parse(job.data.dispatchedAt));
      if (!Number.isNaN(age) && (oldest === null || age > oldest)) oldest = age;
    }
    return {
      listener,
      waiting: count(jobs.waiting, listener),
      active: count(jobs.running, listener),
      delayed: count(jobs.delayed, listener),
      failed: jobs.failed(listener),
      oldestWaitingMs: oldest,
    };
  });
}
