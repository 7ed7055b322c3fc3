import type { RedisClient } from '../../redis/redis-client.js';
import { pipelineBySlot } from './stream-slots.js';

/**
 * Creates a listener's consumer group on each of its partition streams, only where it is missing:
 * at `'$'` (entries appended from now on) for `startFrom: 'new'`, at `'0'` (the whole log) for
 * `'start'`. MKSTREAM creates a stream nobody has appended to yet. An existing group keeps its
 * position (BUSYGROUP is the expected answer on every later start).
 */
export async function ensureGroups(
  redis: RedisClient,
  keys: readonly string[],
  group: string,
  startFrom: 'new' | 'start',
): Promise<void> {
  const replies = await pipelineBySlot(
    redis,
    keys.map((key) => ({
      key,
      add: (pipeline) => pipeline.xgroup('CREATE', key, group, startFrom === 'new' ? '$' : '0', 'MKSTREAM'),
    })),
  );
  for (const [error] of replies) {
    if (error !== null && !/BUSYGROUP/.test(error.message)) throw error;
  }
}
