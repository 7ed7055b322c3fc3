import { type ConnectionOptions, Queue } from 'bullmq';
import {
  type BullMqConnectionConfig,
  createHerald,
  type Herald,
  type HeraldWorker,
  type JobPayload,
} from '../../src/index.js';
import type { AnyClass } from '../../src/metadata/class-types.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { recorded } from './fixtures/recorder.js';
import {
  type BootOptions,
  CONNECTION,
  conformanceConfig,
  pollUntil,
  QUEUED_FEATURES,
  type QueueHarness,
} from './harness.js';

const EVERY_STATE = [
  'completed',
  'failed',
  'wait',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
] as const;
const PENDING_STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Where a bullmq harness's Redis is: the connection keys (`url`, or `cluster`), and how a test
 * reads a queue back (its own BullMQ connection, the queue's BullMQ prefix).
 */
export interface BullMqHarnessTarget {
  readonly fields: Pick<BullMqConnectionConfig, 'url' | 'cluster'>;
  readonly inspectorConnection: () => ConnectionOptions;
  readonly prefixOf: (prefix: string, queue: string) => string;
  /** Closes what the target opened for the inspectors. */
  readonly close?: () => Promise<void>;
}

/** The test run's single Redis (the default target). */
export function singleRedisTarget(): BullMqHarnessTarget {
  const url = testRedisUrl();
  return { fields: { url }, inspectorConnection: () => ({ url }), prefixOf: (prefix) => prefix };
}

/**
 * BullMQ on the test Redis, with a fresh prefix per harness (so per test). One app dispatches;
 * a second app with the same listeners is the worker (`herald.work()`), as in production. Jobs
 * have settled when the queues hold nothing waiting, delayed or active; what a job stores is read
 * back from Redis with BullMQ's own Queue.
 */
export function bullmqHarness(target: () => BullMqHarnessTarget = singleRedisTarget): QueueHarness {
  const prefix = uniqueQueueName('conf');
  let where: BullMqHarnessTarget | undefined;
  const located = (): BullMqHarnessTarget => {
    where ??= target();
    return where;
  };
  let base: BullMqConnectionConfig = { driver: 'bullmq', prefix };
  let connection: BullMqConnectionConfig = base;
  const inspectors = new Map<string, Queue>();
  let producer: Herald | undefined;
  let workerApp: Herald | undefined;
  let worker: HeraldWorker | undefined;
  let options: BootOptions = { listeners: [] };

  const booted = (): Herald => {
    if (producer === undefined) throw new Error('harness: boot() first');
    return producer;
  };

  const queueNames = (): string[] => [
    ...new Set([...booted().queuesOf(CONNECTION), ...(options.extraQueues ?? [])]),
  ];

  const inspector = (name: string): Queue => {
    let queue = inspectors.get(name);
    if (queue === undefined) {
      const { inspectorConnection, prefixOf } = located();
      queue = new Queue(name, { connection: inspectorConnection(), prefix: prefixOf(prefix, name) });
      inspectors.set(name, queue);
    }
    return queue;
  };

  const pendingCount = async (): Promise<number> => {
    let pending = 0;
    for (const name of queueNames()) {
      const counts = await inspector(name).getJobCounts(...PENDING_STATES);
      pending += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return pending;
  };

  const harness: QueueHarness = {
    driver: 'bullmq',
    features: QUEUED_FEATURES,

    async boot(bootOptions: BootOptions): Promise<Herald> {
      options = bootOptions;
      base = { ...base, ...located().fields };
      connection =
        bootOptions.defaultQueue === undefined ? base : { ...base, queue: bootOptions.defaultQueue };
      producer = await createHerald(conformanceConfig(connection, bootOptions.listeners));
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
      const queues = queueNames();
      workerApp = await createHerald(conformanceConfig(connection, options.listeners as AnyClass[]));
      worker = await workerApp.work({
        connection: CONNECTION,
        concurrency: options.concurrency ?? 10,
        queues,
      });
    },

    async settle(until?: () => boolean): Promise<void> {
      await harness.startWorker();
      await pollUntil(
        async () => (until?.() ?? true) && (await pendingCount()) === 0,
        () => `harness(bullmq): jobs did not settle in time; timeline: ${JSON.stringify(recorded.timeline)}`,
      );
    },

    async storedJobs(): Promise<JobPayload[]> {
      const jobs = [];
      for (const name of queueNames()) jobs.push(...(await inspector(name).getJobs([...EVERY_STATE])));
      return jobs.sort((a, b) => a.timestamp - b.timestamp).map((job) => job.data as JobPayload);
    },

    async close(): Promise<void> {
      await worker?.close();
      await Promise.allSettled([workerApp?.close(), producer?.close()]);
      await Promise.allSettled(
        [...inspectors.values()].map(async (queue) => {
          await queue.obliterate({ force: true });
          await queue.close();
        }),
      );
      await where?.close?.();
    },
  };
  return harness;
}
