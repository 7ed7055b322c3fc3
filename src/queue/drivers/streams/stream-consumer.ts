import type { WorkerListener } from '../../driver.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { type ConsumerHost, EntryAttempts } from './stream-attempt.js';
import { ensureGroups } from './stream-groups.js';
import { type ListenerReader, partitionsOf } from './stream-listener-reader.js';
import { StreamPickUp } from './stream-pickup.js';
import { PartitionReads, pipelineBySlot, type SlotCommand } from './stream-slots.js';
import { type ConsumerPlace, type Partition, READ_COUNT, type Work } from './stream-work.js';

/** How long empty retry sets go unread (ms) while nothing here scheduled a retry. */
const RETRY_SETS_QUIET_MS = 1000;

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
export class StreamConsumer implements ListenerReader {
  readonly listener: WorkerListener;
  readonly #redis: RedisClient;
  readonly #reads: PartitionReads;
  readonly #place: ConsumerPlace;
  readonly #host: ConsumerHost;
  readonly #partitions: Partition[] = [];
  readonly #byKey = new Map<string, Partition>();
  readonly #pickUp: StreamPickUp;
  readonly #attempts: EntryAttempts;
  /** When the poll next reads the retry sets (epoch ms; 0 = on the next poll). */
  #readRetriesAt = 0;

  constructor(
    listener: WorkerListener,
    connections: { readonly redis: RedisClient; readonly reader: RedisClient },
    place: ConsumerPlace,
    host: ConsumerHost,
  ) {
    this.listener = listener;
    this.#redis = connections.redis;
    this.#reads = new PartitionReads(connections.reader);
    this.#place = place;
    this.#host = host;
    for (const read of partitionsOf(listener.streams, place)) {
      this.#partitions.push(read);
      this.#byKey.set(read.key, read);
    }
    this.#attempts = new EntryAttempts(listener, this.#redis, place, host);
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

  /** Nothing to hand back: everything this consumer took is pending in its group. */
  stop(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * One round: due retries, stale claims, then new entries read for at most `maxBlockMs` (less
   * when a retry falls due sooner). Resolves `'idle'` when there was nothing to do and no retry
   * is waiting.
   */
  async poll(maxBlockMs: number): Promise<'idle' | 'busy'> {
    if (this.#partitions.length === 0) return 'idle';
    const readRetries = Date.now() >= this.#readRetriesAt;
    const due = readRetries ? await this.#pickUp.dueRetries() : [];
    const earlier = [...due, ...(await this.#pickUp.stale())];
    await this.#runAll(earlier);
    let waiting = 0;
    let nextDue: number | undefined;
    if (readRetries) {
      ({ waiting, nextDue } = await this.#retriesWaiting());
      // Empty retry sets stay empty unless an attempt here schedules a retry (#runEntry resets
      // this) or another worker of the group does: that one runs its own retry when due, so
      // reading the sets once a second is enough. Saves three round trips on every busy read.
      this.#readRetriesAt = waiting === 0 ? Date.now() + RETRY_SETS_QUIET_MS : 0;
    }
    if (!this.#host.mayStart()) return 'busy';
    // Wake for the next due retry and the next stale-entry claim, whichever comes first.
    const wakeAt = Math.min(nextDue ?? Number.POSITIVE_INFINITY, this.#pickUp.nextClaimAt);
    const block = Math.max(1, Math.min(maxBlockMs, wakeAt - Date.now()));
    const read = await this.#reads.read(
      ['XREADGROUP', 'GROUP', this.listener.name, this.#place.consumer],
      Math.min(READ_COUNT, this.#host.budget()),
      block,
      this.#partitions.map((at) => at.key),
      this.#partitions.map(() => '>'),
    );
    const gotAt = Date.now();
    const fresh: Work[] = [];
    for (const entry of read) {
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
    for (const { key } of this.#pickUp.retryKeys()) {
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
    const commands: SlotCommand[] = [];
    // One XACK per partition stream for the whole batch, not one per entry.
    const acks = new Map<string, string[]>();
    for (const item of done) {
      const ids = acks.get(item.at.key);
      if (ids === undefined) acks.set(item.at.key, [item.entry.id]);
      else ids.push(item.entry.id);
      if (item.counted === true) {
        const key = this.#attempts.attemptsOf(item);
        commands.push({ key, add: (pipeline) => pipeline.hdel(key, this.#attempts.memberOf(item)) });
      }
    }
    for (const [key, ids] of acks)
      commands.push({ key, add: (pipeline) => pipeline.xack(key, this.listener.name, ...ids) });
    for (const item of unstarted) commands.push(...this.#giveBack(item));
    await pipelineBySlot(this.#redis, commands);
  }

  /**
   * An entry this consumer took but never started (the worker stopped): there is no un-read in
   * Redis Streams, so it stays pending, made claimable at once (idle = claimAfter) with its
   * attempt count taken back, so the worker that claims it runs the attempt it never had
   * (test/integration/streams/streams-consume.test.ts, "maxJobs").
   */
  #giveBack(item: Work): SlotCommand[] {
    const attempts = this.#attempts.attemptsOf(item);
    return [
      { key: attempts, add: (pipeline) => pipeline.hincrby(attempts, this.#attempts.memberOf(item), -1) },
      {
        key: item.at.key,
        add: (pipeline) =>
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
          ),
      },
    ];
  }

  /** Runs one attempt of an entry; true when it is done with and awaits its (batched) XACK. */
  async #runEntry(item: Work): Promise<boolean> {
    // An entry deleted while pending (trimmed, XDEL) has nothing left to run.
    if (item.entry.fields === null) return true;
    if (!(await this.#stillOurs(item))) return false;
    const { status } = await this.#attempts.run(item);
    if (status === 'retry') this.#readRetriesAt = 0;
    return status === 'completed';
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
}
