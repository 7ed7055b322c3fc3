import type { RedisClient } from '../../redis/redis-client.js';
import { minId, nextId } from './stream-ids.js';

/** Where one consumer group of a stream stands, as far as retention cares. */
export interface GroupFloor {
  readonly group: string;
  /** The oldest entry the group still needs: its oldest pending entry, else the one after the last it read. */
  readonly floor: string;
  /** Entries not yet read by the group (Redis 7 `lag`); undefined when Redis cannot tell. */
  readonly lag: number | undefined;
  /** Entries read but not yet acknowledged. */
  readonly pending: number;
}

/** A flat `[name, value, ...]` reply (RESP2 list or RESP3 map as ioredis flattens it) as a record. */
function recordOf(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let index = 0; index + 1 < reply.length; index += 2) out[String(reply[index])] = reply[index + 1];
  return out;
}

/**
 * Every consumer group of a stream with the oldest entry it still needs (XINFO GROUPS, plus the
 * XPENDING summary of groups with pending entries). An entry older than every floor was read and
 * acknowledged by every group: only such entries may be trimmed.
 */
export async function groupFloors(redis: RedisClient, key: string): Promise<GroupFloor[]> {
  const groups = (await redis.call('XINFO', 'GROUPS', key)) as unknown[];
  const floors: GroupFloor[] = [];
  for (const each of groups) {
    const info = recordOf(each);
    const group = String(info.name);
    const pending = Number(info.pending ?? 0);
    const lag = info.lag === null || info.lag === undefined ? undefined : Number(info.lag);
    let floor = nextId(String(info['last-delivered-id'] ?? '0-0'));
    if (pending > 0) {
      const summary = (await redis.call('XPENDING', key, group)) as unknown[];
      if (typeof summary[1] === 'string') floor = minId(floor, summary[1]);
    }
    floors.push({ group, floor, lag, pending });
  }
  return floors;
}
