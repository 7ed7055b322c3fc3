import type { Job } from 'bullmq';

/**
 * The listener and event names a BullMQ job's report shows: read from its data, which may be
 * unreadable (a corrupt or foreign job), so `?` stands in for a name that is not a string; and its
 * `dispatchedAt`, for the wait metric.
 */
export function reportedNamesOf(job: Job): {
  readonly listener: string;
  readonly event: string;
  readonly dispatchedAt: unknown;
} {
  const data = job.data as { listener?: unknown; event?: unknown; dispatchedAt?: unknown } | undefined;
  return {
    dispatchedAt: data?.dispatchedAt,
    listener: typeof data?.listener === 'string' ? data.listener : '?',
    event: typeof data?.event === 'string' ? data.event : '?',
  };
}
