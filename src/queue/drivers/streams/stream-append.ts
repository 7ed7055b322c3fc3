import type { RedisClient } from '../../redis/redis-client.js';
import { groupBySlot } from './stream-slots.js';

/**
 * One entry to append. Every push it carries (the jobs of one dispatch for several listeners)
 * shares its one promise: they are one append, settled by one reply, and a promise per push was
 * a visible part of a 3-listener dispatch's cost (`npm run bench:streams`, section 2).
 */
export interface PendingEntry {
  readonly key: string;
  readonly fields: readonly string[];
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** A pending entry for `key` with `fields`, its promise not yet settled. */
export function pendingEntry(key: string, fields: readonly string[]): PendingEntry {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { key, fields, promise, resolve, reject };
}

/**
 * Appends entries in one pipeline (not a transaction; on a cluster one per partition's slot,
 * side by side) and settles each entry's pushes by its own reply: a refused XADD rejects only
 * the dispatches it carried (test/integration/streams/streams-publish.test.ts). `failure` makes
 * the error of one entry. `confirm` (waitForReplicas, never on a cluster) runs once after a
 * pipeline in which an append succeeded; an error from it rejects those entries instead of
 * resolving them.
 */
export async function appendEntries(
  producer: RedisClient,
  entries: readonly PendingEntry[],
  failure: (error: unknown) => Error,
  confirm?: () => Promise<Error | undefined>,
): Promise<void> {
  const groups = groupBySlot(producer, entries, (entry) => entry.key);
  await Promise.all(groups.map((group) => appendPipeline(producer, group, failure, confirm)));
}

async function appendPipeline(
  producer: RedisClient,
  entries: readonly PendingEntry[],
  failure: (error: unknown) => Error,
  confirm: (() => Promise<Error | undefined>) | undefined,
): Promise<void> {
  const pipeline = producer.pipeline();
  for (const entry of entries) pipeline.xadd(entry.key, '*', ...entry.fields);
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (error) {
    for (const entry of entries) settle(entry, failure(error));
    return;
  }
  const appended = replies?.some((reply) => reply[0] === null) === true;
  const short = confirm !== undefined && appended ? await confirm() : undefined;
  entries.forEach((entry, index) => {
    const reply = replies?.[index];
    if (reply === undefined) settle(entry, failure(new Error('no reply from Redis for the append')));
    else settle(entry, reply[0] === null ? short : failure(reply[0]));
  });
}

function settle(entry: PendingEntry, error: Error | undefined): void {
  if (error === undefined) entry.resolve();
  else entry.reject(error);
}
