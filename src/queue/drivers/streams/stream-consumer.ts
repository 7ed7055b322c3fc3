import type { Redis } from 'ioredis';
import type { WorkerListener } from '../../driver.js';
import type { JobRunner } from '../../runner/job-runner.js';
import { type JobReport, jobReportOf } from '../../worker/job-report.js';
import { jobDataOf } from './stream-entry.js';
import { ensureGroups } from './stream-groups.js';
import { attemptsKey, deadKey, partitionKey, retryKey } from './stream-keys.js';
import { StreamPickUp } from './stream-pickup.js';
import { entriesOfReply } from './stream-reply.js';
import { entryMember } from './stream-retries.js';
import { type ConsumerPlace, type Partition, READ_COUNT, type Work } from './stream-work.js';

/** What a consumer asks of its worker. */
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
 * One listener's consumer group on a streams connection. Each poll runs the retries that are
 * due, claims entries a crashed consumer left pending longer than `claimAfter` (XAUTOCLAIM,
 * carrying its cursor), then reads new entries (XREADGROUP COUNT/BLOCK); every entry runs through
 * the shared JobRunner. Completed entries are acknowledged in one pipeline per batch; a retry
 * waits in the listener's retry set in Redis, the entry pending until its final outcome; after
 * the last try the entry is copied with its error to the dead-letter stream and acknowledged in
 * one MULTI. A first attempt costs no write beyond its XACK; a later one (retry or claim) counts
 * itself in the attempts hash first, so a crashed attempt counts
 * (test/integration/streams/streams-consume.test.ts, streams-claim.test.ts).
 */
export class StreamConsumer {
  readonly listener: WorkerListener;
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #place: ConsumerPlace;
  readonly #host: ConsumerHost;
  readonly #partitions: Partition[] = [];
  readonly #byKey = new Map<string, Partition>();
  readonly #pickUp: StreamPickUp;

  constructor(
    listener: WorkerListener,
    connections: { readonly redis: Redis; readonly reader: Redis },
    place: ConsumerPlace,
    host: ConsumerHost,
  ) {
    this.listener = listener;
    this.#redis = connections.redis;
    this.#reader = connections.reader;
    this.#place = place;
    this.#host = host;
    for (const stream of listener.streams) {
      for (let partition = 0; partition < place.partitions; partition++) {
        const read = { stream, partition, key: partitionKey(place.prefix, stream, partition) };
        this.#partitions.push(read);
        this.#byKey.set(read.key, read);
      }
    }
    this.#pickUp = new StreamPickUp(this.#redis, listener.name, listener.streams, place, this.#partitions);
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
   * One round: due retries, stale claims, then new entries read for at most `maxBlockMs` (less
   * when a retry falls due sooner). Resolves `'idle'` when there was nothing to do and no retry
   * is waiting.
   */
  async poll(maxBlockMs: number): Promise<'idle' | 'busy'> {
    if (this.#partitions.length === 0) return 'idle';
    const earlier = [...(await this.#pickUp.dueRetries()), ...(await this.#pickUp.stale())];
    await this.#runAll(earlier);
    const { waiting, nextDue } = await this.#retriesWaiting();
    if (!this.#host.mayStart()) return 'busy';
    // Wake for the next due retry and the next stale-entry claim, whichever comes first.
    const wakeAt = Math.min(nextDue ?? Number.POSITIVE_INFINITY, this.#pickUp.nextClaimAt);
    const block = Math.max(1, Math.min(maxBlockMs, wakeAt - Date.now()));
    const reply = await this.#reader.call(
      'XREADGROUP',
      'GROUP',
      this.listener.name,
      this.#place.consumer,
      'COUNT',
      Math.min(READ_COUNT, this.#host.budget()),
      'BLOCK',
      block,
      'STREAMS',
      ...this.#partitions.map((read) => read.key),
      ...this.#partitions.map(() => '>'),
    );
    const gotAt = Date.now();
    const fresh: Work[] = [];
    for (const entry of entriesOfReply(reply)) {
      const at = this.#byKey.get(entry.key);
      if (at !== undefined) fresh.push({ entry, at, attempt: 1, gotAt });
    }
    await this.#runAll(fresh);
    return earlier.length === 0 && fresh.length === 0 && waiting === 0 ? 'idle' : 'busy';
  }

  /** How many retries wait in this listener's sets, and when the soonest falls due. */
  async #retriesWaiting(): Promise<{ waiting: number; nextDue: number | undefined }> {
    let waiting = 0;
    let nextDue: number | undefined;
    for (const stream of this.listener.streams) {
      const key = retryKey(this.#place.prefix, stream, this.listener.name);
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
   * Runs entries, `concurrency` at a time, then acknowledges the completed ones (and forgets their
   * attempt counts) and gives back the ones never started, in one pipeline.
   */
  async #runAll(work: readonly Work[]): Promise<void> {
    if (work.length === 0) return;
    const done: Work[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < work.length && this.#host.mayStart()) {
        const item = work[next++] as Work;
        if (await this.#runEntry(item)) done.push(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#host.concurrency, work.length) }, lane));
    const unstarted = work.slice(next);
    if (done.length === 0 && unstarted.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const item of done) {
      pipeline.xack(item.at.key, this.listener.name, item.entry.id);
      if (item.attempt > 1) pipeline.hdel(this.#attemptsOf(item), this.#memberOf(item));
    }
    for (const item of unstarted) this.#giveBack(pipeline, item);
    await pipeline.exec();
  }

  /**
   * An entry this consumer took but never started (the worker stopped): there is no un-read in
   * Redis Streams, so it stays pending, made claimable at once (idle = claimAfter) with its
   * attempt count taken back, so the worker that claims it runs the attempt it never had
   * (test/integration/streams/streams-consume.test.ts, "maxJobs").
   */
  #giveBack(pipeline: ReturnType<Redis['pipeline']>, item: Work): void {
    pipeline.hincrby(this.#attemptsOf(item), this.#memberOf(item), -1);
    pipeline.call(
      'XCLAIM',
      item.at.key,
      this.listener.name,
      this.#place.consumer,
      0,
      item.entry.id,
      'IDLE',
      this.#place.claimAfter,
      'JUSTID',
    );
  }

  /** Runs one attempt of an entry; true when it is done with and awaits its (batched) XACK. */
  async #runEntry(item: Work): Promise<boolean> {
    const { entry, at, attempt } = item;
    // An entry deleted while pending (trimmed, XDEL) has nothing left to run.
    if (entry.fields === null) return true;
    if (!(await this.#stillOurs(item))) return false;
    this.#host.attemptStarted();
    const started = performance.now();
    const result = await this.#host.runner.run(jobDataOf(entry.fields, this.listener.name), {
      attempt,
      jobId: entry.id,
      queue: at.stream,
      options: this.listener.options,
      shutdownSignal: this.#host.shutdownSignal,
    });
    try {
      if (result.status === 'retry') {
        await this.#redis.zadd(
          retryKey(this.#place.prefix, at.stream, this.listener.name),
          Date.now() + result.delay,
          this.#memberOf(item),
        );
      } else if (result.status === 'failed') {
        await this.#deadLetter(item, result.error);
      }
    } finally {
      const event = eventOf(entry.fields);
      const report = { queue: at.stream, jobId: entry.id, attempt, listener: this.listener.name, event };
      this.#host.attemptEnded(jobReportOf(report, started, result), result.status !== 'retry');
    }
    return result.status === 'completed';
  }

  /**
   * An entry that waited in this consumer's batch for half of `claimAfter` may look stale to
   * other workers: XCLAIM it again (fresh idle time) before starting, but only if it stayed idle
   * all that time, i.e. no other worker claimed it meanwhile (else it is theirs now: skip it).
   */
  async #stillOurs(item: Work): Promise<boolean> {
    const waited = Date.now() - item.gotAt;
    if (waited < this.#place.claimAfter / 2) return true;
    const reply = await this.#redis.call(
      'XCLAIM',
      item.at.key,
      this.listener.name,
      this.#place.consumer,
      waited,
      item.entry.id,
      'JUSTID',
    );
    return Array.isArray(reply) && reply.length === 1;
  }

  async #deadLetter(item: Work, error: Error): Promise<void> {
    const kind = (error as { kind?: unknown }).kind;
    await this.#redis
      .multi()
      .xadd(
        deadKey(this.#place.prefix, item.at.stream, this.listener.name),
        '*',
        ...(item.entry.fields ?? []),
        'listener',
        this.listener.name,
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
      .xack(item.at.key, this.listener.name, item.entry.id)
      .hdel(this.#attemptsOf(item), this.#memberOf(item))
      .exec();
  }

  #attemptsOf(item: Work): string {
    return attemptsKey(this.#place.prefix, item.at.stream, this.listener.name);
  }

  #memberOf(item: Work): string {
    return entryMember({ partition: item.at.partition, id: item.entry.id });
  }
}

/** The event name of an entry for reports; `?` when the entry has none. */
function eventOf(fields: readonly string[]): string {
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'event') return fields[index + 1] as string;
  }
  return '?';
}
