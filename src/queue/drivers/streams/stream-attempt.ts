import type { WorkerListener } from '../../driver.js';
import type { RedisClient } from '../../redis/redis-client.js';
import type { AttemptResult } from '../../runner/attempt.js';
import type { JobRunner } from '../../runner/job-runner.js';
import { type JobReport, jobReportOf } from '../../worker/job-report.js';
import { jobDataOf } from './stream-entry.js';
import { KeepAlive } from './stream-keep-alive.js';
import { attemptsKey, deadKey, retryKey } from './stream-keys.js';
import { entryMember } from './stream-retries.js';
import type { ConsumerPlace, Work } from './stream-work.js';

/** What a reader asks of its worker. */
export interface ConsumerHost {
  readonly runner: JobRunner;
  readonly shutdownSignal: AbortSignal;
  /** Entries run at once within one read. */
  readonly concurrency: number;
  /** Whether another attempt may start now (false once closing, or the `maxJobs` budget is spent). */
  mayStart(): boolean;
  /** How many more entries this worker may start (its `maxJobs` left), at least 1. */
  budget(): number;
  /** Tells the worker an attempt started / ended (`final`: completed or failed for good). */
  attemptStarted(): void;
  attemptEnded(report: JobReport, final: boolean): void;
}

/**
 * One attempt of a group's entry, shared by the unordered and the ordered consumer: runs it
 * through the JobRunner, then files a retry in the listener's retry set (the entry stays
 * pending) or, after the last try, copies it with its error to the dead-letter stream and
 * acknowledges it in one MULTI. A completed entry is left to the caller's batched XACK.
 */
export class EntryAttempts {
  readonly #listener: WorkerListener;
  readonly #redis: RedisClient;
  readonly #place: ConsumerPlace;
  readonly #host: ConsumerHost;
  readonly #keepAlive: KeepAlive;

  constructor(listener: WorkerListener, redis: RedisClient, place: ConsumerPlace, host: ConsumerHost) {
    this.#listener = listener;
    this.#redis = redis;
    this.#place = place;
    this.#host = host;
    this.#keepAlive = new KeepAlive(redis, listener.name, place.consumer, place.claimAfter);
  }

  /** Runs one attempt of an entry that has fields; answers how it ended. */
  async run(item: Work): Promise<AttemptResult> {
    const { entry, at, attempt } = item;
    const fields = entry.fields ?? [];
    this.#host.attemptStarted();
    const started = performance.now();
    this.#keepAlive.add(item);
    let result: AttemptResult;
    try {
      result = await this.#host.runner.run(jobDataOf(fields, this.#listener.name), {
        attempt,
        jobId: entry.id,
        queue: at.stream,
        options: this.#listener.options,
        shutdownSignal: this.#host.shutdownSignal,
      });
    } finally {
      this.#keepAlive.delete(item);
    }
    try {
      if (result.status === 'retry') {
        await this.#redis.zadd(
          retryKey(this.#place, at.stream, at.partition, this.#listener.name),
          Date.now() + result.delay,
          this.memberOf(item),
        );
      } else if (result.status === 'failed') {
        await this.#deadLetter(item, result.error);
      }
    } finally {
      const report = {
        queue: at.stream,
        jobId: entry.id,
        attempt,
        listener: this.#listener.name,
        event: eventOf(fields),
        dispatchedAt: fieldOf(fields, 'dispatchedAt'),
      };
      this.#host.attemptEnded(jobReportOf(report, started, result), result.status !== 'retry');
    }
    return result;
  }

  async #deadLetter(item: Work, error: Error): Promise<void> {
    const kind = (error as { kind?: unknown }).kind;
    await this.#redis
      .multi()
      .xadd(
        deadKey(this.#place, item.at.stream, item.at.partition, this.#listener.name),
        '*',
        ...(item.entry.fields ?? []),
        'listener',
        this.#listener.name,
        'entryId',
        item.entry.id,
        'attempts',
        String(item.attempt),
        'error',
        error.message,
        'errorKind',
        typeof kind === 'string' ? kind : error.name,
        'failedAt',
        new Date().toISOString(),
      )
      .xack(item.at.key, this.#listener.name, item.entry.id)
      .hdel(this.attemptsOf(item), this.memberOf(item))
      .exec();
  }

  /** The listener's attempts hash of the entry's partition (its stream's on one server). */
  attemptsOf(item: Pick<Work, 'at'>): string {
    return attemptsKey(this.#place, item.at.stream, item.at.partition, this.#listener.name);
  }

  /** The entry's member in the retry set and attempts hash. */
  memberOf(item: Pick<Work, 'at' | 'entry'>): string {
    return entryMember({ partition: item.at.partition, id: item.entry.id });
  }
}

/** The event name of an entry for reports; `?` when the entry has none. */
export function eventOf(fields: readonly string[]): string {
  return fieldOf(fields, 'event') ?? '?';
}

/** One field of an entry (`dispatchedAt` for reports), undefined when the entry has none. */
export function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === name) return fields[index + 1] as string;
  }
  return undefined;
}
