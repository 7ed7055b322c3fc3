import { ONCE_MARKER_TTL_MS } from '../../redis/once-marker.js';
import type { RedisClient } from '../../redis/redis-client.js';
/**
 * The marker of a push-once id beside a partition: `<partition key>:outbox:<id>`, in the
 * partition's slot on a cluster (its hash tag is part of the partition key), so one script
 * touches both. Like a lease key, it is never read as a log partition.
 */
export function onceMarkerKey(partitionKey: string, once: string): string {
  return `${partitionKey}:outbox:${once}`;
}

/** SET NX of the marker and the XADD in one script: both happen, or (marker already set) neither. */
const APPEND_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
end
return false`;

/**
 * Appends `fields` to the partition `key` unless the marker of `once` exists; resolves true when
 * it appended, false when an earlier push of the same id already had.
 */
export async function appendOnce(
  producer: RedisClient,
  key: string,
  fields: readonly string[],
  once: string,
): Promise<boolean> {
  const reply = await producer.eval(
    APPEND_ONCE,
    2,
    key,
    onceMarkerKey(key, once),
    String(ONCE_MARKER_TTL_MS),
    ...fields,
  );
  return reply !== null;
}
