import { hasHashTag } from '../../redis/hash-tag.js';

/*
 * Redis key layout of a streams connection (all under the connection's `prefix`).
 *
 * On one Redis server (today's layout, kept so existing logs, retries and dead letters stay
 * readable after an upgrade):
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
 * On Redis Cluster (a `cluster` connection) each partition is its own hash tag, so partitions
 * spread over the shards, and the keys one MULTI or script touches with the log (the retry set,
 * the attempts hash, the dead letters, the lease) are per partition, in the partition's slot:
 *
 *   <prefix>:{<stream>:<partition>}                     the log
 *   <prefix>:{<stream>:<partition>}:retry:<listener>    retries of the partition
 *   <prefix>:{<stream>:<partition>}:attempts:<listener> attempt counts of the partition
 *   <prefix>:{<stream>:<partition>}:dead:<listener>     dead letters of the partition
 *   <prefix>:{<stream>:<partition>}:lease:<listener>    the partition's owner
 *   <prefix>:<stream>:owners:<listener>                 live workers (touched alone)
 *
 * Why two layouts: a cluster refuses a MULTI over keys of several slots (CROSSSLOT), and one
 * slot per stream would put every partition of a stream on one shard. A prefix holding a hash
 * tag (`{herald}`) keeps the single-server names: every key of the connection then shares the
 * prefix's slot (one shard, as its author asked). Retry members keep their partition on both
 * layouts, so the code that reads them is the same.
 *
 * Consumer groups live on the partition streams; a group's name is the listener's wire name.
 */

/** Where a connection's keys live: its prefix, and whether it is a Redis Cluster. */
export interface StreamKeyspace {
  readonly prefix: string;
  /** A cluster connection whose prefix has no hash tag: one hash tag per partition. */
  readonly clustered: boolean;
}

/** The keyspace of a connection: per-partition hash tags on a cluster unless the prefix has one. */
export function keyspaceOf(prefix: string, cluster: boolean): StreamKeyspace {
  return { prefix, clustered: cluster && !hasHashTag(prefix) };
}

/** The key of one partition of a stream. */
export function partitionKey(space: StreamKeyspace, stream: string, partition: number): string {
  return space.clustered
    ? `${space.prefix}:{${stream}:${partition}}`
    : `${space.prefix}:${stream}:${partition}`;
}

/** The key of a listener's per-entry data of `kind` for a partition (shared by all on one server). */
function listenerKey(
  space: StreamKeyspace,
  kind: 'retry' | 'attempts' | 'dead',
  stream: string,
  partition: number,
  listener: string,
): string {
  return space.clustered
    ? `${partitionKey(space, stream, partition)}:${kind}:${listener}`
    : `${space.prefix}:${stream}:${kind}:${listener}`;
}

/** The sorted set of a listener's retries due on a partition (on one server: on the stream). */
export function retryKey(space: StreamKeyspace, stream: string, partition: number, listener: string): string {
  return listenerKey(space, 'retry', stream, partition, listener);
}

/** The hash of attempts started beyond the first, per entry, for a listener on a partition. */
export function attemptsKey(
  space: StreamKeyspace,
  stream: string,
  partition: number,
  listener: string,
): string {
  return listenerKey(space, 'attempts', stream, partition, listener);
}

/** The dead-letter stream of a listener on a partition (on one server: on the stream). */
export function deadKey(space: StreamKeyspace, stream: string, partition: number, listener: string): string {
  return listenerKey(space, 'dead', stream, partition, listener);
}

/**
 * The distinct keys `key` names over a stream's partitions, each with the first partition it
 * serves: one key on one server (shared by every partition), one per partition on a cluster.
 */
export function keysOverPartitions(
  partitions: number,
  key: (partition: number) => string,
): { key: string; partition: number }[] {
  const seen = new Map<string, number>();
  for (let partition = 0; partition < partitions; partition++) {
    const each = key(partition);
    if (!seen.has(each)) seen.set(each, partition);
  }
  return [...seen].map(([each, partition]) => ({ key: each, partition }));
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
