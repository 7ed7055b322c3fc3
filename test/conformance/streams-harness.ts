import { type Cluster, Redis } from 'ioredis';
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

/** Where a streams harness runs: the test Redis by default, a test cluster in test/integration/cluster. */
export interface StreamsHarnessTarget {
  /** The connection's fields saying where Redis is (`url`, or `cluster`). */
  readonly fields: Partial<StreamsConnectionConfig>;
  /** A client to read keys back with (an ioredis Cluster follows redirects). */
  readonly client: Redis | Cluster;
  /** The keys matching a pattern, on every node. */
  keysOf(pattern: string): Promise<string[]>;
}

/** The test Redis (SCAN on its one server). */
function singleRedis(): StreamsHarnessTarget {
  const url = testRedisUrl();
  const client = new Redis(url, { lazyConnect: true });
  return {
    fields: { url },
    client,
    async keysOf(pattern) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      return keys;
    },
  };
}

/**
 * Redis Streams on the test Redis (or `target`), with a fresh prefix per harness. The worker app starts at
 * boot, before anything is dispatched: a listener's group starts at `'new'` entries, so a
 * worker started after a dispatch would never see it (by design of a log). Entries have settled
 * when every group has read everything (lag 0), acknowledged it (pending 0) and no retry waits.
 */
export function streamsHarness(where: () => StreamsHarnessTarget = singleRedis): QueueHarness {
  const prefix = uniqueQueueName('conf');
  // Resolved on first use: suites create harnesses while collecting, before a test cluster runs.
  let resolved: StreamsHarnessTarget | undefined;
  const target = (): StreamsHarnessTarget => {
    resolved ??= where();
    return resolved;
  };
  const connectionOf = (): StreamsConnectionConfig => ({
    driver: 'streams',
    ...target().fields,
    prefix,
    claimAfter: 5000,
  });
  let producer: Herald | undefined;
  let workerApp: Herald | undefined;
  let worker: HeraldWorker | undefined;
  let options: BootOptions = { listeners: [] };

  const booted = (): Herald => {
    if (producer === undefined) throw new Error('harness: boot() first');
    return producer;
  };

  const keysOf = (pattern: string) => target().keysOf(pattern);

  /** The log streams (partitions: `<prefix>:<stream>:<n>`, on a cluster `<prefix>:{<stream>:<n>}`). */
  const logKeys = async (): Promise<string[]> =>
    (await keysOf(`${prefix}:*`)).filter(
      (key) => /:\d+\}?$/.test(key) && !key.includes(':dead:') && !key.includes(':metrics:'),
    );

  const unsettled = async (): Promise<number> => {
    let open = 0;
    for (const key of await logKeys()) {
      const groups = (await target().client.call('XINFO', 'GROUPS', key)) as unknown[];
      for (const group of groups) {
        const info = Array.isArray(group) ? fieldsOf(group.map(String)) : {};
        open += Number(info.pending ?? 0) + Number(info.lag ?? 0);
      }
    }
    for (const key of await keysOf(`${prefix}:*:retry:*`)) open += await target().client.zcard(key);
    return open;
  };

  const harness: QueueHarness = {
    driver: 'streams',
    features: LOG_FEATURES,

    async boot(bootOptions: BootOptions): Promise<Herald> {
      options = bootOptions;
      producer = await createHerald(conformanceConfig(connectionOf(), bootOptions.listeners));
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
      workerApp = await createHerald(conformanceConfig(connectionOf(), [...options.listeners]));
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
        for (const [, fields] of await target().client.xrange(key, '-', '+')) {
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
      const redis = resolved?.client;
      if (redis !== undefined && redis.status !== 'wait') {
        // One key per DEL: a cluster refuses a DEL over several slots.
        for (const key of await keysOf(`${prefix}:*`)) await redis.del(key);
      }
      redis?.disconnect();
    },
  };
  return harness;
}
