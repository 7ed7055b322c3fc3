import type { HeraldKeys } from '../queue/driver.js';
import { BUCKET_COUNT } from './buckets.js';
import { emptyCounts, type ListenerCounts } from './listener-counts.js';
import { HOUR_MS, MINUTE_MS, type MinuteCounts } from './metrics-batch.js';
import { HEARTBEAT_TTL_MS, type MetricsStore, type WorkerHeartbeat } from './metrics-store.js';
import { HOUR_TTL_SECONDS, MINUTE_TTL_SECONDS, resolutionOf } from './retention.js';

/**
 * The metrics keys of a connection. Every key carries the hash tag `{<connection>}` (or the
 * prefix's own tag, which Redis reads first), so one flush touches one Cluster slot:
 * `<prefix>:metrics:{<connection>}:m:<epoch minute>` and `:h:<epoch hour>` hashes, the
 * `:workers` sorted set and `:worker:<id>` heartbeats.
 */
export function metricsKeys(prefix: string, connection: string) {
  const base = `${prefix}:metrics:{${connection}}`;
  return {
    minute: (minute: number) => `${base}:m:${minute}`,
    hour: (hour: number) => `${base}:h:${hour}`,
    workers: `${base}:workers`,
    worker: (id: string) => `${base}:worker:${id}`,
  };
}

/**
 * Hash fields of one listener's counts: `<listener>|p`, `|f`, `|r` and `|rt|<bucket>`,
 * `|wt|<bucket>` for non-empty buckets only, so a hash holds at most a fixed number of fields
 * per listener whatever the job count.
 */
export function fieldsOf(listener: string, counts: ListenerCounts): [string, number][] {
  const fields: [string, number][] = [];
  if (counts.processed > 0) fields.push([`${listener}|p`, counts.processed]);
  if (counts.failed > 0) fields.push([`${listener}|f`, counts.failed]);
  if (counts.released > 0) fields.push([`${listener}|r`, counts.released]);
  for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
    const runtime = counts.runtime[bucket] ?? 0;
    if (runtime > 0) fields.push([`${listener}|rt|${bucket}`, runtime]);
    const wait = counts.wait[bucket] ?? 0;
    if (wait > 0) fields.push([`${listener}|wt|${bucket}`, wait]);
  }
  return fields;
}

/** Adds one hash field (as {@link fieldsOf} names it) into per-listener counts; ignores others. */
export function addField(into: Map<string, ListenerCounts>, field: string, value: number): void {
  const last = field.lastIndexOf('|');
  if (last <= 0) return;
  const tail = field.slice(last + 1);
  let listener = field.slice(0, last);
  let kind = tail;
  let bucket = -1;
  if (/^\d+$/.test(tail)) {
    const before = listener.lastIndexOf('|');
    if (before <= 0) return;
    kind = listener.slice(before + 1);
    listener = listener.slice(0, before);
    bucket = Number(tail);
    if (bucket >= BUCKET_COUNT) return;
  }
  let counts = into.get(listener);
  if (counts === undefined) {
    counts = emptyCounts();
    into.set(listener, counts);
  }
  if (kind === 'p') counts.processed += value;
  else if (kind === 'f') counts.failed += value;
  else if (kind === 'r') counts.released += value;
  else if (kind === 'rt' && bucket >= 0) counts.runtime[bucket] = (counts.runtime[bucket] ?? 0) + value;
  else if (kind === 'wt' && bucket >= 0) counts.wait[bucket] = (counts.wait[bucket] ?? 0) + value;
}

/** Metrics of a `bullmq` or `streams` connection, in its Redis. */
export class RedisMetrics implements MetricsStore {
  readonly #redis: () => Promise<HeraldKeys>;
  readonly #connection: string;

  constructor(connection: string, redis: () => Promise<HeraldKeys>) {
    this.#connection = connection;
    this.#redis = redis;
  }

  /**
   * One pipeline: HINCRBY into the minute and hour hashes of each minute in the batch, their
   * EXPIREs, and the worker's heartbeat. All keys share one hash tag (one Cluster slot).
   */
  async write(batch: MinuteCounts, heartbeat?: WorkerHeartbeat): Promise<void> {
    const { client, prefix } = await this.#redis();
    const keys = metricsKeys(prefix, this.#connection);
    const pipeline = client.pipeline();
    for (const [minute, listeners] of batch) {
      const minuteKey = keys.minute(minute);
      const hourKey = keys.hour(Math.floor((minute * MINUTE_MS) / HOUR_MS));
      for (const [listener, counts] of listeners) {
        for (const [field, value] of fieldsOf(listener, counts)) {
          pipeline.hincrby(minuteKey, field, value);
          pipeline.hincrby(hourKey, field, value);
        }
      }
      pipeline.expire(minuteKey, MINUTE_TTL_SECONDS);
      pipeline.expire(hourKey, HOUR_TTL_SECONDS);
    }
    if (heartbeat !== undefined) {
      pipeline.set(keys.worker(heartbeat.id), JSON.stringify(heartbeat), 'PX', HEARTBEAT_TTL_MS);
      pipeline.zadd(keys.workers, heartbeat.lastSeen, heartbeat.id);
      pipeline.zremrangebyscore(keys.workers, '-inf', heartbeat.lastSeen - HEARTBEAT_TTL_MS);
      pipeline.pexpire(keys.workers, HEARTBEAT_TTL_MS);
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }

  async read(since: number, until: number): Promise<Map<string, ListenerCounts>> {
    const { client, prefix } = await this.#redis();
    const keys = metricsKeys(prefix, this.#connection);
    const { unit, periods } = resolutionOf(since, until);
    const pipeline = client.pipeline();
    for (let period = periods.first; period <= periods.last; period++) {
      pipeline.hgetall(unit === 'minute' ? keys.minute(period) : keys.hour(period));
    }
    const total = new Map<string, ListenerCounts>();
    for (const [error, hash] of (await pipeline.exec()) ?? []) {
      if (error !== null) throw error;
      for (const [field, value] of Object.entries(hash as Record<string, string>)) {
        addField(total, field, Number(value));
      }
    }
    return total;
  }

  async workers(): Promise<WorkerHeartbeat[]> {
    const { client, prefix } = await this.#redis();
    const keys = metricsKeys(prefix, this.#connection);
    const ids = await client.zrangebyscore(keys.workers, Date.now() - HEARTBEAT_TTL_MS, '+inf');
    if (ids.length === 0) return [];
    // One slot (the hash tag), so MGET works on a Cluster too.
    const beats = await client.mget(...ids.map((id) => keys.worker(id)));
    return beats
      .filter((beat): beat is string => beat !== null)
      .map((beat) => JSON.parse(beat) as WorkerHeartbeat);
  }
}
