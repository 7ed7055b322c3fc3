import type { Job } from 'bullmq';

/** What a BullMQ job's report shows of its data. */
export interface ReportedNames {
  readonly listener: string;
  readonly event: string;
  readonly dispatchedAt: string | undefined;
}

/**
 * The listener and event names (and dispatch time) a BullMQ job's report shows: read from its
 * data, which may be unreadable (a corrupt or foreign job), so `?` stands in for a name that is
 * not a string, and the dispatch time is left out.
 */
export function reportedNamesOf(job: Job): ReportedNames {
  const data = job.data as { listener?: unknown; event?: unknown; dispatchedAt?: unknown } | undefined;
  return {
    listener: typeof data?.listener === 'string' ? data.listener : '?',
    event: typeof data?.event === 'string' ? data.event : '?',
    dispatchedAt: typeof data?.dispatchedAt === 'string' ? data.dispatchedAt : undefined,
  };
}
