import type { Redis } from 'ioredis';
import type { WorkerListener } from '../../driver.js';
import type { AttemptResult } from '../../runner/attempt.js';
import type { JobRunner } from '../../runner/job-runner.js';
import type { JobReport } from '../../worker/job-report.js';
import { jobReportOf } from '../../worker/job-report.js';
import { jobDataOf } from './stream-entry.js';
import { ensureGroups } from './stream-groups.js';
import { deadKey, partitionKey, retryKey } from './stream-keys.js';
import { entriesOfReply, entryOf, type StreamEntry } from './stream-reply.js';
import { retryMember, retryOfMember } from './stream-retries.js';

/** Entries one read takes at most. */
const READ_COUNT = 100;

/** One partition stream a listener reads. */
interface Partition {
  readonly stream: string;
  readonly partition: number;
  readonly key: string;
}

/** What a consumer asks of its worker. */
export interface ConsumerHost {
  readonly runner: JobRunner;
  readonly shutdownSignal: AbortSignal;
  /** Entries run at once within one read. */
  readonly concurrency: number;
  /** Whether another attempt may start now (false once closing, or the `maxJobs` budget is spent). */
  mayStart(): boolean;
  /** Tells the worker an attempt started / ended (`final`: completed or failed for good). */
  attemptStarted(): void;
  attemptEnded(report: JobReport, final: boolean): void;
}

/**
 * One listener's consumer group on a streams connection: reads its partition streams with
 * XREADGROUP (COUNT/BLOCK), runs each entry through the shared JobRunner, acknowledges completed
 * entries in one XACK per stream per read, schedules retries in a sorted set in Redis (the entry
 * stays pending until its final outcome), and on a final failure copies the entry with its error
 * to the listener's dead-letter stream and acknowledges it, in one MULTI
 * (test/integration/streams/streams-consume.test.ts).
 */
export class StreamConsumer {
  readonly listener: WorkerListener;
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #prefix: string;
  readonly #consumer: string;
  readonly #host: ConsumerHost;
  readonly #partitions: Partition[] = [];
  readonly #byKey = new Map<string, Partition>();

  constructor(
    listener: WorkerListener,
    connections: { readonly redis: Redis; readonly reader: Redis },
    where: { readonly prefix: string; readonly partitions: number; readonly consumer: string },
    host: ConsumerHost,
  ) {
    this.listener = listener;
    this.#redis = connections.redis;
    this.#reader = connections.reader;
    this.#prefix = where.prefix;
    this.#consumer = where.consumer;
    this.#host = host;
    for (const stream of listener.streams) {
      for (let partition = 0; partition < where.partitions; partition++) {
        const read = { stream, partition, key: partitionKey(where.prefix, stream, partition) };
        this.#partitions.push(read);
        this.#byKey.set(read.key, read);
      }
    }
  }

  /** Creates the listener's group where it is missing (at its `startFrom`). */
  start(): Promise<void> {
    return ensureGroups(
      this.#redis,
      this.#partitions.map((read) => read.key),
      this.listener.name,
      this.listener.startFrom,
    );
  }

  /**
   * Runs the retries that are due, then reads new entries for at most `maxBlockMs` (less when a
   * retry falls due sooner) and runs them. Resolves `'idle'` when there was nothing to do and no
   * retry is waiting.
   */
  async poll(maxBlockMs: number): Promise<'idle' | 'busy'> {
    if (this.#partitions.length === 0) return 'idle';
    const retried = await this.#runDueRetries();
    const { waiting, nextDue } = await this.#retriesWaiting();
    const block = Math.max(
      1,
      Math.min(maxBlockMs, nextDue === undefined ? maxBlockMs : nextDue - Date.now()),
    );
    if (!this.#host.mayStart()) return 'busy';
    const reply = await this.#reader.call(
      'XREADGROUP',
      'GROUP',
      this.listener.name,
      this.#consumer,
      'COUNT',
      READ_COUNT,
      'BLOCK',
      block,
      'STREAMS',
      ...this.#partitions.map((read) => read.key),
      ...this.#partitions.map(() => '>'),
    );
    const entries = entriesOfReply(reply);
    await this.#runAll(entries.map((entry) => ({ entry, attempt: 1 })));
    return retried === 0 && entries.length === 0 && waiting === 0 ? 'idle' : 'busy';
  }

  /** Claims and runs the retries whose time has come; returns how many ran. */
  async #runDueRetries(): Promise<number> {
    const now = Date.now();
    const due: { entry: StreamEntry; attempt: number }[] = [];
    for (const stream of this.listener.streams) {
      const key = retryKey(this.#prefix, stream, this.listener.name);
      const members = await this.#redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, READ_COUNT);
      for (const member of members) {
        // ZREM decides which worker runs a retry: only the one whose removal counted.
        if ((await this.#redis.zrem(key, member)) !== 1) continue;
        const retry = retryOfMember(member);
        if (retry === undefined) continue;
        const partition = partitionKey(this.#prefix, stream, retry.partition);
        const range = await this.#redis.xrange(partition, retry.id, retry.id);
        const entry = entryOf(partition, range[0]) ?? { key: partition, id: retry.id, fields: null };
        due.push({ entry, attempt: retry.attempt });
      }
    }
    await this.#runAll(due);
    return due.length;
  }

  /** How many retries wait in this listener's sets, and when the soonest falls due. */
  async #retriesWaiting(): Promise<{ waiting: number; nextDue: number | undefined }> {
    let waiting = 0;
    let nextDue: number | undefined;
    for (const stream of this.listener.streams) {
      const key = retryKey(this.#prefix, stream, this.listener.name);
      const [count, first] = await Promise.all([
        this.#redis.zcard(key),
        this.#redis.call('ZRANGE', key, 0, 0, 'WITHSCORES'),
      ]);
      waiting += count;
      // RESP2 answers [member, score]; RESP3 [[member, score]].
      const flat = Array.isArray(first) ? first.flat() : [];
      const score = flat[1] === undefined ? undefined : Number(flat[1]);
      if (score !== undefined && (nextDue === undefined || score < nextDue)) nextDue = score;
    }
    return { waiting, nextDue };
  }

  /**
   * Runs entries, `concurrency` at a time, then acknowledges the completed ones in one XACK per
   * stream. Entries not started because the worker stopped stay pending in the group.
   */
  async #runAll(work: readonly { entry: StreamEntry; attempt: number }[]): Promise<void> {
    if (work.length === 0) return;
    const acks = new Map<string, string[]>();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < work.length && this.#host.mayStart()) {
        const item = work[next++] as { entry: StreamEntry; attempt: number };
        if (await this.#runEntry(item.entry, item.attempt)) {
          const ids = acks.get(item.entry.key) ?? [];
          ids.push(item.entry.id);
          acks.set(item.entry.key, ids);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#host.concurrency, work.length) }, lane));
    if (acks.size === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const [key, ids] of acks) pipeline.xack(key, this.listener.name, ...ids);
    await pipeline.exec();
  }

  /** Runs one attempt of an entry; true when it completed and awaits its (batched) XACK. */
  async #runEntry(entry: StreamEntry, attempt: number): Promise<boolean> {
    // An entry deleted while pending (trimmed, XDEL) has nothing left to run: just acknowledge it.
    if (entry.fields === null) return true;
    const read = this.#byKey.get(entry.key);
    const stream = read?.stream ?? entry.key;
    this.#host.attemptStarted();
    const started = performance.now();
    const result = await this.#host.runner.run(jobDataOf(entry.fields, this.listener.name), {
      attempt,
      jobId: entry.id,
      queue: stream,
      options: this.listener.options,
      shutdownSignal: this.#host.shutdownSignal,
    });
    try {
      if (result.status === 'retry')
        await this.#scheduleRetry(stream, read?.partition ?? 0, entry, attempt, result);
      else if (result.status === 'failed') await this.#deadLetter(stream, entry, attempt, result.error);
    } finally {
      const event = eventOf(entry.fields);
      this.#host.attemptEnded(
        jobReportOf(
          { queue: stream, jobId: entry.id, attempt, listener: this.listener.name, event },
          started,
          result,
        ),
        result.status !== 'retry',
      );
    }
    return result.status === 'completed';
  }

  async #scheduleRetry(
    stream: string,
    partition: number,
    entry: StreamEntry,
    attempt: number,
    result: Extract<AttemptResult, { status: 'retry' }>,
  ): Promise<void> {
    const member = retryMember({ partition, id: entry.id, attempt: attempt + 1 });
    await this.#redis.zadd(
      retryKey(this.#prefix, stream, this.listener.name),
      Date.now() + result.delay,
      member,
    );
  }

  async #deadLetter(stream: string, entry: StreamEntry, attempt: number, error: Error): Promise<void> {
    const kind = (error as { kind?: unknown }).kind;
    await this.#redis
      .multi()
      .xadd(
        deadKey(this.#prefix, stream, this.listener.name),
        '*',
        ...(entry.fields ?? []),
        'listener',
        this.listener.name,
        'entryId',
        entry.id,
        'attempts',
        String(attempt),
        'error',
        error.message,
        'errorKind',
        typeof kind === 'string' ? kind : error.name,
        'failedAt',
        new Date().toISOString(),
      )
      .xack(entry.key, this.listener.name, entry.id)
      .exec();
  }
}

/** The event name of an entry for reports; `?` when the entry has none. */
function eventOf(fields: readonly string[]): string {
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'event') return fields[index + 1] as string;
  }
  return '?';
}
