import type { Job } from 'bullmq';

/** What a BullMQ job's report shows of its data. */
export interface ReportedNames {
  readonly listener: string;
  readonly event: string;
  /** The payload's `dispatchedAt` as stored (an ISO time), for the wait metrics; unchecked. */
  readonly dispatchedAt: unknown;
}

/**
 * The listener and event names a BullMQ job's report shows: read from its data, which may be
 * unreadable (a corrupt or foreign job), so `?` stands in for a name that is not a string; and its
 * `dispatchedAt`, for the wait metrics.
 */
export function reportedNamesOf(job: Job): ReportedNames {
  const data = job.data as { listener?: unknown; event?: unknown; dispatchedAt?: unknown } | undefined;
  return {
    listener: typeof data?.listener === 'string' ? data.listener : '?',
    event: typeof data?.event === 'string' ? data.event : '?',
    dispatchedAt: data?.dispatchedAt,
  };
}
