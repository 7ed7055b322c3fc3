import type { StreamKeyspace } from './stream-keys.js';
import type { StreamEntry } from './stream-reply.js';

/** Entries one read (or one claim) takes at most. */
export const READ_COUNT = 100;

/** One partition stream a listener reads. */
export interface Partition {
  readonly stream: string;
  readonly partition: number;
  readonly key: string;
}

/** An entry to run: where it lives, which attempt it is, and when this consumer got it. */
export interface Work {
  readonly entry: StreamEntry;
  readonly at: Partition;
  readonly attempt: number;
  readonly gotAt: number;
  /**
   * Its attempt was counted in the attempts hash (a retry or a claim): the count is deleted when
   * the entry is done, even when it was a first attempt after an entry given back unstarted.
   */
  readonly counted?: true;
}

/** Where a consumer reads: the connection's keyspace and partitions, its consumer name, `claimAfter`. */
export interface ConsumerPlace extends StreamKeyspace {
  readonly partitions: number;
  readonly consumer: string;
  readonly claimAfter: number;
}
