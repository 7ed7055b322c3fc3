/*
 * Redis key layout of a streams connection (all under the connection's `prefix`):
 *
 *   <prefix>:<stream>:<partition>               the log: one entry per dispatch (XADD)
 *   <prefix>:<stream>:retry:<listener>          sorted set of retries "<partition>|<entry id>",
 *                                               scored by due time (epoch ms)
 *   <prefix>:<stream>:attempts:<listener>       hash "<partition>|<entry id>" -> attempts started
 *                                               beyond the first (absent for a first attempt)
 *   <prefix>:<stream>:dead:<listener>           dead letters of a listener (the entry's fields
 *                                               plus listener, entryId, attempts, error, failedAt)
 *   <prefix>:<stream>:<partition>:lease:<listener> an ordered listener's partition owner (a
 *                                               worker token, PX claimAfter; stream-lease.ts)
 *   <prefix>:<stream>:owners:<listener>         sorted set of an ordered listener's live workers,
 *                                               scored by heartbeat (epoch ms)
 *
 * Consumer groups live on the partition streams; a group's name is the listener's wire name.
 */

/** The key of one partition of a stream. */
export function partitionKey(prefix: string, stream: string, partition: number): string {
  return `${prefix}:${stream}:${partition}`;
}

/** The sorted set of a listener's retries due on a stream. */
export function retryKey(prefix: string, stream: string, listener: string): string {
  return `${prefix}:${stream}:retry:${listener}`;
}

/** The hash of attempts started beyond the first, per entry, for a listener on a stream. */
export function attemptsKey(prefix: string, stream: string, listener: string): string {
  return `${prefix}:${stream}:attempts:${listener}`;
}

/** The dead-letter stream of a listener on a stream. */
export function deadKey(prefix: string, stream: string, listener: string): string {
  return `${prefix}:${stream}:dead:${listener}`;
}

/**
 * The partition of a partition key: FNV-1a (32-bit) of its UTF-16 code units, modulo
 * `partitions`. Stable across processes and deploys, so one key always lands in one partition
 * (test/unit/streams/streams-config.test.ts pins known values).
 */
export function partitionOf(key: string | undefined, partitions: number): number {
  if (key === undefined || partitions <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
