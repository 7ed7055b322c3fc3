import { hasHashTag } from '../../redis/hash-tag.js';

/**
 * The BullMQ prefix of one queue. BullMQ's keys are `<prefix>:<queue>:<suffix>` and its scripts
 * touch several keys of a queue at once, so on Redis Cluster every key of a queue must hash to
 * one slot (or Redis answers CROSSSLOT). A prefix with a hash tag (`{herald}`) does that for all
 * queues of the connection, on one shard, as on a single Redis. A prefix without one gets the
 * queue's name as its tag, `herald:{<queue>}`: each queue on its own slot, so the queues of a
 * connection spread over the shards. Why the tag goes in the prefix, not the queue name: BullMQ
 * forbids `:` in names, herald's job ids and `queue:*` commands show the name, and it stays
 * the name listeners configure. The cost: one queue is never split over shards (its jobs are one
 * list), and on a single Redis the keys stay `<prefix>:<queue>:...` (no tag), so moving a
 * connection to a cluster starts with empty queues.
 */
export function bullmqPrefixOf(prefix: string, queue: string, clustered: boolean): string {
  if (!clustered || hasHashTag(prefix)) return prefix;
  return `${prefix}:{${queue}}`;
}
