import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import '../setup/provided-context.js';

/**
 * URL of the Redis this test run may use: the private server started by the global setup, or
 * `HERALD_TEST_REDIS_URL`. Never the developer's Redis on 6379.
 *
 * @example
 * const queue = new Queue(uniqueQueueName('roundtrip'), { connection: { url: testRedisUrl() } });
 */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/**
 * A queue name no other test (or earlier run) uses, so tests can run in parallel against one Redis
 * and leftovers from a crashed run never leak in. Same idea as BullMQ's own `test-${v4()}` names.
 *
 * @throws TypeError when `prefix` contains `:`, which BullMQ rejects in queue names.
 * @example
 * uniqueQueueName('mail'); // 'mail-3f0c…'
 */
export function uniqueQueueName(prefix: string): string {
  if (prefix.includes(':')) {
    throw new TypeError(`uniqueQueueName(prefix): BullMQ queue names cannot contain ':' (got '${prefix}')`);
  }
  return `${prefix}-${randomUUID()}`;
}
