import { createHash } from 'node:crypto';
import type { Herald } from '../app.js';
import type { FailedJob } from '../queue/failed/failed-job.js';

/** How many of the newest failed jobs the groups are counted over. */
export const GROUP_SCAN_LIMIT = 1000;
/** Most jobs one "retry all of a group" puts back (press again for the rest). */
export const RETRY_GROUP_CAP = 500;
const SCAN_PAGE = 200;

/** Failed jobs of one listener with one error. */
export interface FailedGroup {
  /** Stable id of (listener, error): the `group` field of the retry-group action. */
  readonly key: string;
  readonly listener: string;
  /** The error's first line, cut at 200 characters. */
  readonly error: string;
  readonly count: number;
  readonly newest: FailedJob;
}

/** An error as grouped: its first line, trimmed and cut. */
export function errorKey(error: string): string {
  const first = (error.split('\n')[0] ?? '').trim();
  return first.length > 200 ? first.slice(0, 200) : first;
}

/** The group id of a listener and error. */
export function groupKey(listener: string, error: string): string {
  return createHash('sha256')
    .update(`${listener}\n${errorKey(error)}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The newest failed jobs of a connection, without their data, read page by page up to
 * {@link GROUP_SCAN_LIMIT}: never the whole failed set.
 */
export async function scanFailed(
  herald: Herald,
  connection: string,
  limit = GROUP_SCAN_LIMIT,
): Promise<FailedJob[]> {
  const jobs: FailedJob[] = [];
  while (jobs.length < limit) {
    const page = await herald.failedJobs({
      connection,
      offset: jobs.length,
      limit: Math.min(SCAN_PAGE, limit - jobs.length),
      withData: false,
    });
    jobs.push(...page);
    if (page.length < SCAN_PAGE) break;
  }
  return jobs;
}

/** Groups jobs (newest first) by listener and error; biggest group first. */
export function groupFailed(jobs: readonly FailedJob[]): FailedGroup[] {
  const groups = new Map<string, { listener: string; error: string; count: number; newest: FailedJob }>();
  for (const job of jobs) {
    const key = groupKey(job.listener, job.error);
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, { listener: job.listener, error: errorKey(job.error), count: 1, newest: job });
    else group.count++;
  }
  return [...groups.entries()]
    .map(([key, group]) => ({ key, ...group }))
    .sort((a, b) => b.count - a.count || b.newest.failedAt.getTime() - a.newest.failedAt.getTime());
}
