import type { QueuedJob } from '../../job/queued-job.js';

/**
 * The memory connection's `ordered: true`: the jobs of one ordered listener and one event key
 * (`@Event(name, { key })`) form a lane that runs one job at a time in push order. A job holds its
 * lane from its first attempt until its final outcome, retries and their backoff included, so a
 * later job of the key never overtakes one waiting to be retried: what a `streams` connection
 * does per partition (its keys hash to partitions; here every key is its own lane).
 */
export class OrderedLanes {
  /** Lane → the id of the job holding it. */
  readonly #holders = new Map<string, string>();

  /** The lane of an ordered listener's job; undefined for every other job. */
  static laneOf(job: QueuedJob): string | undefined {
    return job.ordered === true ? `${job.data.listener}\n${job.stream?.key ?? ''}` : undefined;
  }

  /** Whether the job may start now: its lane is free or already its own. */
  mayStart(lane: string | undefined, jobId: string): boolean {
    if (lane === undefined) return true;
    const holder = this.#holders.get(lane);
    return holder === undefined || holder === jobId;
  }

  /** The job starts: it holds its lane until {@link release}. */
  hold(lane: string | undefined, jobId: string): void {
    if (lane !== undefined) this.#holders.set(lane, jobId);
  }

  /** The job reached its final outcome (or was dropped): the lane's next job may start. */
  release(lane: string | undefined, jobId: string): void {
    if (lane !== undefined && this.#holders.get(lane) === jobId) this.#holders.delete(lane);
  }
}
