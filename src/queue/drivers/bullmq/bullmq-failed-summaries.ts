import type { Queue } from 'bullmq';
import type { FailedJob } from '../../failed/failed-job.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { heraldJobId } from './bullmq-job-id.js';

/**
 * Reads failed jobs' list fields without their data: the job's name (its listener), reason,
 * times and attempts, and only the first bytes of `data` (where the wire format's `event` sits),
 * cut inside Redis, so a page of jobs with megabyte payloads moves a few hundred bytes each.
 * Every key of one call belongs to one queue (one hash tag on a cluster).
 */
const SUMMARY_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local f = redis.call('HMGET', key, 'name', 'failedReason', 'finishedOn', 'timestamp', 'atm', 'attemptsMade')
  local data = redis.call('HGET', key, 'data')
  if data then data = string.sub(data, 1, tonumber(ARGV[1])) end
  out[i] = { f[1] or false, f[2] or false, f[3] or false, f[4] or false, f[5] or f[6] or false, data or false }
end
return out`;

/** How much of `data` is read to find the event's wire name. */
const DATA_HEAD_BYTES = 512;

type SummaryReply = (string | null)[];

/** The event wire name from the head of herald's wire JSON, else `'?'`. */
function eventOf(head: string | null): string {
  const match = head === null ? null : /"event"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(head);
  if (match?.[1] === undefined) return '?';
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return '?';
  }
}

/** The failed jobs `ids` of `queue` (ids from its failed set), without data, in the given order. */
export async function failedSummaries(
  queue: Queue,
  connection: string,
  ids: readonly string[],
): Promise<FailedJob[]> {
  if (ids.length === 0) return [];
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  const replies = (await client.eval(
    SUMMARY_SCRIPT,
    ids.length,
    ...ids.map((id) => queue.toKey(id)),
    DATA_HEAD_BYTES,
  )) as SummaryReply[];
  return ids.map((id, i): FailedJob => {
    const [name, reason, finishedOn, timestamp, attempts, head] = replies[i] ?? [];
    return {
      id: heraldJobId(queue.name, id),
      connection,
      queue: queue.name,
      listener: name ?? '?',
      event: eventOf(head ?? null),
      attempts: Number(attempts ?? 0),
      error: reason ?? '',
      failedAt: new Date(Number(finishedOn ?? timestamp ?? 0)),
    };
  });
}
