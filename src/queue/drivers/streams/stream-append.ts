import type { Redis } from 'ioredis';

/** One entry to append and the settle functions of every push it carries. */
export interface PendingEntry {
  readonly key: string;
  readonly fields: readonly string[];
  readonly waiters: { readonly resolve: () => void; readonly reject: (error: unknown) => void }[];
}

/**
 * Appends entries in one pipeline (not a transaction) and settles each entry's pushes by its own
 * reply: a refused XADD rejects only the dispatches it carried
 * (test/integration/streams/streams-publish.test.ts). `failure` makes the error of one entry.
 */
export async function appendEntries(
  producer: Redis,
  entries: readonly PendingEntry[],
  failure: (error: unknown) => Error,
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
  entries.forEach((entry, index) => {
    const reply = replies?.[index];
    if (reply === undefined) settle(entry, failure(new Error('no reply from Redis for the append')));
    else settle(entry, reply[0] === null ? undefined : failure(reply[0]));
  });
}

function settle(entry: PendingEntry, error: Error | undefined): void {
  for (const waiter of entry.waiters) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}
