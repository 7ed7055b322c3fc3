import { Redis } from 'ioredis';
import {
  createHerald,
  type Herald,
  type HeraldWorker,
  type JobPayload,
  type StreamsConnectionConfig,
} from '../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { recorded } from './fixtures/recorder.js';
import {
  type BootOptions,
  CONNECTION,
  conformanceConfig,
  LOG_FEATURES,
  pollUntil,
  type QueueHarness,
} from './harness.js';

/** Flattened `[field, value, ...]` as a record. */
function fieldsOf(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2)
    out[fields[index] as string] = fields[index + 1] as string;
  return out;
}

/**
 * Redis Streams on the test Redis, with a fresh prefix per harness. The worker app starts at
 * boot, before anything is dispatched: a listener's group starts at `'new'` entries, so a
 * worker started after a dispatch would never see it (by design of a log). Entries have settled
 * when every group has read everything (lag 0), acknowledged it (pending 0) and no retry waits.
 */
export function streamsHarness(): QueueHarness {
  const url = testRedisUrl();
  const prefix = uniqueQueueName('conf');
  const connection: StreamsConnectionConfig = { driver: 'streams', url, prefix, claimAfter: 5000 };
  const redis = new Redis(url, { lazyConnect: true });
  let producer: Herald | undefined;
  let workerApp: Herald | undefined;
  let worker: HeraldWorker | undefined;
  let options: BootOptions = { listeners: [] };

  const booted = (): Herald => {
    if (producer === undefined) throw new Error('harness: boot() first');
    return producer;
  };

  const keysOf = async (pattern: string): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys;
  };

  /** The log streams (partitions), not the dead letters. */
  const logKeys = async (): Promise<string[]> =>
    (await keysOf(`${prefix}:*`)).filter((key) => /:\d+$/.test(key) && !key.includes(':dead:'));

  const unsettled = async (): Promise<number> => {
    let open = 0;
    for (const key of await logKeys()) {
      const groups = (await redis.call('XINFO', 'GROUPS', key)) as unknown[];
      for (const group of groups) {
        const info = Array.isArray(group) ? fieldsOf(group.map(String)) : {};
        open += Number(info.pending ?? 0) + Number(info.lag ?? 0);
      }
    }
    for (const key of await keysOf(`${prefix}:*:retry:*`)) open += await redis.zcard(key);
    return open;
  };

  const harness: QueueHarness = {
    driver: 'streams',
    features: LOG_FEATURES,

    async boot(bootOptions: BootOptions): Promise<Herald> {
      options = bootOptions;
      producer = await createHerald(conformanceConfig(connection, bootOptions.listeners));
      await harness.startWorker();
      return producer;
    },

    async dispatch(event: object): Promise<unknown> {
      return booted()
        .dispatch(event)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    },

    async startWorker(): Promise<void> {
      if (worker !== undefined) return;
      workerApp = await createHerald(conformanceConfig(connection, [...options.listeners]));
      worker = await workerApp.work({ connection: CONNECTION, concurrency: options.concurrency ?? 10 });
    },

    async settle(until?: () => boolean): Promise<void> {
      await harness.startWorker();
      await pollUntil(
        async () => (until?.() ?? true) && (await unsettled()) === 0,
        () =>
          `harness(streams): entries did not settle in time; timeline: ${JSON.stringify(recorded.timeline)}`,
      );
    },

    /** The entries appended since boot, as job data: one per dispatch and stream, no listener. */
    async storedJobs(): Promise<JobPayload[]> {
      const jobs: JobPayload[] = [];
      for (const key of await logKeys()) {
        for (const [, fields] of await redis.xrange(key, '-', '+')) {
          const entry = fieldsOf(fields);
          jobs.push({
            v: 1,
            dispatchId: entry.dispatchId ?? '',
            event: entry.event ?? '',
            listener: '',
            payload: JSON.parse(entry.payload ?? 'null'),
            dispatchedAt: entry.dispatchedAt ?? '',
            meta: JSON.parse(entry.meta ?? '{}'),
          });
        }
      }
      return jobs;
    },

    async close(): Promise<void> {
      await worker?.close();
      await Promise.allSettled([workerApp?.close(), producer?.close()]);
      if (redis.status !== 'wait') {
        const keys = await keysOf(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      redis.disconnect();
    },
  };
  return harness;
}
