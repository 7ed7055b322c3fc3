import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../../redis/redis-client.js';
import { entriesOfReply, type StreamEntry } from './stream-reply.js';

/** A command for {@link pipelineBySlot}: the key that decides its slot, and how to queue it. */
export interface SlotCommand {
  readonly key: string;
  readonly add: (pipeline: ChainableCommander) => void;
}

/**
 * What decides a key's slot: its hash tag when it has one (every key of a partition on a cluster
 * shares it), else the whole key. Keys of one group always share a slot.
 */
function slotGroupOf(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/**
 * Items in groups whose keys share a slot: one group on one server; on a cluster one per slot
 * group (ioredis refuses a pipeline over keys of several nodes).
 */
export function groupBySlot<T>(redis: RedisClient, items: readonly T[], keyOf: (item: T) => string): T[][] {
  if (!redis.isCluster) return items.length === 0 ? [] : [[...items]];
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = slotGroupOf(keyOf(item));
    const list = groups.get(group);
    if (list === undefined) groups.set(group, [item]);
    else list.push(item);
  }
  return [...groups.values()];
}

/**
 * Runs commands in pipelines and answers their replies in the order given. One pipeline on one
 * server; on a cluster one per slot group, side by side: ioredis refuses a pipeline whose keys
 * live on several nodes ("All keys in the pipeline should belong to the same slots allocation
 * group"), and which slots share a node changes as slots move.
 */
export async function pipelineBySlot(
  redis: RedisClient,
  commands: readonly SlotCommand[],
): Promise<[Error | null, unknown][]> {
  const groups = groupBySlot(
    redis,
    commands.map((_, index) => index),
    (index) => (commands[index] as SlotCommand).key,
  );
  const replies: [Error | null, unknown][] = new Array(commands.length);
  await Promise.all(
    groups.map(async (indexes) => {
      const pipeline = redis.pipeline();
      for (const index of indexes) (commands[index] as SlotCommand).add(pipeline);
      const answered = (await pipeline.exec()) ?? [];
      indexes.forEach((index, at) => {
        replies[index] = answered[at] ?? [new Error('no reply from Redis'), null];
      });
    }),
  );
  return replies;
}

/** Longest a cluster read blocks on one partition while others may get entries (ms). */
const CLUSTER_BLOCK_MS = 100;

/**
 * Reads several partition streams at once (XREADGROUP / XREAD) on a reader connection. On one
 * server: one command over every key, blocking. On a cluster a command may only name keys of one
 * slot, and a blocking command holds the reader's connection to its node, so: one non-blocking
 * read per partition side by side, and only when all came back empty one blocking read of one
 * partition (in turn) for at most {@link CLUSTER_BLOCK_MS}, so the others wait that long at most.
 * A single partition blocks as on one server.
 */
export class PartitionReads {
  readonly #reader: RedisClient;
  #turn = 0;

  constructor(reader: RedisClient) {
    this.#reader = reader;
  }

  /**
   * The entries of `keys` after `ids` (`>` for a group's new entries), at most `count` per read:
   * `head` is the command up to COUNT (`XREADGROUP GROUP g c` or `XREAD`).
   */
  async read(
    head: readonly string[],
    count: number,
    block: number,
    keys: readonly string[],
    ids: readonly string[],
  ): Promise<StreamEntry[]> {
    const [command, ...rest] = head as [string, ...string[]];
    const call = (from: readonly number[], blockMs: number | undefined) =>
      this.#reader.call(
        command,
        ...rest,
        'COUNT',
        count,
        ...(blockMs === undefined ? [] : ['BLOCK', blockMs]),
        'STREAMS',
        ...from.map((index) => keys[index] as string),
        ...from.map((index) => ids[index] as string),
      );
    const all = keys.map((_, index) => index);
    if (!this.#reader.isCluster || keys.length === 1) return entriesOfReply(await call(all, block));
    const swept = await Promise.all(all.map(async (index) => entriesOfReply(await call([index], undefined))));
    const entries = swept.flat();
    if (entries.length > 0) return entries;
    const index = this.#turn++ % keys.length;
    return entriesOfReply(await call([index], Math.max(1, Math.min(block, CLUSTER_BLOCK_MS))));
  }
}
