import type { Job, Queue } from 'bullmq';
import type { FailedJob } from '../../failed/failed-job.js';
import type { FailedJobRange, FailedJobStore } from '../../failed/failed-job-store.js';
import { type AdminTarget, adminCall } from './admin-call.js';
import { failedSummaries } from './bullmq-failed-summaries.js';
import { heraldJobId, parseHeraldJobId } from './bullmq-job-id.js';

/**
 * The failed jobs of a bullmq connection (`queue:failed`, `queue:retry`, `queue:forget`,
 * `queue:flush`): BullMQ's failed sets of the queues asked for, under herald's job ids.
 */
export class BullMqFailedJobs implements FailedJobStore {
  readonly #connection: string;
  readonly #queue: (name: string) => Promise<Queue>;
  readonly #target: AdminTarget;

  /**
   * `queue`: the connection's BullMQ queue of a name (one that reads malformed job data);
   * `redis`: `host:port` of its Redis, for messages.
   */
  constructor(connection: string, queue: (name: string) => Promise<Queue>, redis: string) {
    this.#connection = connection;
    this.#queue = queue;
    this.#target = { connection, redis };
  }

  // Each operation runs through adminCall: with Redis down the message names the operation,
  // never a dispatch (test/cli/queue-admin.test.ts).
  listFailed(queues: readonly string[]): Promise<FailedJob[]> {
    return adminCall(this.#target, 'list failed jobs', () => this.#list(queues));
  }

  pageFailed(queues: readonly string[], range: FailedJobRange): Promise<FailedJob[]> {
    return adminCall(this.#target, 'list failed jobs', () => this.#page(queues, range));
  }

  countFailed(queues: readonly string[]): Promise<number> {
    return adminCall(this.#target, 'count failed jobs', async () => {
      let total = 0;
      for (const name of queues) total += await (await this.#queue(name)).getFailedCount();
      return total;
    });
  }

  findFailed(id: string, queues: readonly string[]): Promise<FailedJob | undefined> {
    return adminCall(this.#target, 'read a failed job', async () => {
      const found = await this.#failedJob(id, queues);
      return found === undefined ? undefined : toFailedJob(found.job, this.#connection, found.queue);
    });
  }

  retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]> {
    return adminCall(this.#target, 'retry failed jobs', () => this.#retry(ids, queues));
  }

  forgetFailed(id: string, queues: readonly string[]): Promise<boolean> {
    return adminCall(this.#target, 'delete a failed job', () => this.#forget(id, queues));
  }

  flushFailed(queues: readonly string[]): Promise<number> {
    return adminCall(this.#target, 'delete failed jobs', () => this.#flush(queues));
  }

  /**
   * BullMQ keeps each queue's failed set ordered by time, newest first through getFailed(start,
   * end): the first `offset + limit` of every queue hold the merged page whatever the mix.
   */
  async #page(queues: readonly string[], { offset, limit, withData }: FailedJobRange): Promise<FailedJob[]> {
    if (limit <= 0) return [];
    const failed: FailedJob[] = [];
    for (const name of queues) {
      const queue = await this.#queue(name);
      if (withData === false) {
        const ids = await queue.getRanges(['failed'], 0, offset + limit - 1);
        failed.push(...(await failedSummaries(queue, this.#connection, ids)));
        continue;
      }
      for (const job of await queue.getFailed(0, offset + limit - 1))
        failed.push(toFailedJob(job as Job, this.#connection, name));
    }
    failed.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
    return failed.slice(offset, offset + limit);
  }

  /** The BullMQ job of a herald id when it is failed and of one of the queues. */
  async #failedJob(id: string, queues: readonly string[]): Promise<{ job: Job; queue: string } | undefined> {
    const parsed = parseHeraldJobId(id);
    if (parsed === undefined || !queues.includes(parsed.queue)) return undefined;
    const job = await (await this.#queue(parsed.queue)).getJob(parsed.bullMqId);
    if (job === undefined || job === null || (await job.getState()) !== 'failed') return undefined;
    return { job: job as Job, queue: parsed.queue };
  }

  async #list(queues: readonly string[]): Promise<FailedJob[]> {
    const failed: FailedJob[] = [];
    for (const name of queues) {
      const queue = await this.#queue(name);
      for (const job of await queue.getFailed()) failed.push(toFailedJob(job as Job, this.#connection, name));
    }
    return failed.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
  }

  async #retry(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]> {
    const retried: string[] = [];
    for (const name of queues) {
      const queue = await this.#queue(name);
      const jobs = ids === 'all' ? ((await queue.getFailed()) as Job[]) : await this.#jobsById(queue, ids);
      for (const job of jobs) {
        if ((await job.getState()) !== 'failed') continue;
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried.push(heraldJobId(name, job.id));
      }
    }
    return retried;
  }

  async #forget(id: string, queues: readonly string[]): Promise<boolean> {
    const found = await this.#failedJob(id, queues);
    if (found === undefined) return false;
    await found.job.remove();
    return true;
  }

  async #flush(queues: readonly string[]): Promise<number> {
    let removed = 0;
    for (const name of queues) {
      const queue = await this.#queue(name);
      removed += (await queue.clean(0, 0, 'failed')).length;
    }
    return removed;
  }

  /** The jobs of `queue` among herald job ids (`<queue>:<BullMQ id>`); other queues' are skipped. */
  async #jobsById(queue: Queue, ids: readonly string[]): Promise<Job[]> {
    const own = ids.flatMap((id) => {
      const parsed = parseHeraldJobId(id);
      return parsed !== undefined && parsed.queue === queue.name ? [parsed.bullMqId] : [];
    });
    const jobs = await Promise.all(own.map((id) => queue.getJob(id)));
    return jobs.filter((job): job is Job => job !== undefined && job !== null) as Job[];
  }
}

function toFailedJob(job: Job, connection: string, queue: string): FailedJob {
  const data = job.data as { listener?: unknown; event?: unknown } | undefined;
  return {
    id: heraldJobId(queue, job.id),
    connection,
    queue,
    listener: typeof data?.listener === 'string' ? data.listener : job.name,
    event: typeof data?.event === 'string' ? data.event : '?',
    attempts: job.attemptsMade,
    error: job.failedReason ?? '',
    failedAt: new Date(job.finishedOn ?? job.timestamp),
    data: job.data,
  };
}
