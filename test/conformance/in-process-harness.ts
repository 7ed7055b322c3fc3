import { type MockInstance, vi } from 'vitest';
import { createHerald, type Herald, type JobPayload } from '../../src/index.js';
import { MemoryDriver } from '../../src/queue/drivers/memory/memory-driver.js';
import { SyncDriver } from '../../src/queue/drivers/sync/sync-driver.js';
import type { QueuedJob } from '../../src/queue/job/queued-job.js';
import { recorded } from './fixtures/recorder.js';
import {
  type BootOptions,
  conformanceConfig,
  INLINE_FEATURES,
  QUEUED_FEATURES,
  type QueueHarness,
} from './harness.js';

/**
 * The in-process drivers: `sync` runs jobs inside `dispatch`, `memory` soon after it, and
 * `herald.drain()` waits until the memory queue is idle. What a job stores is observed on the
 * driver's `push` (the job data goes on as JSON, as a real queue would keep it).
 */
export function inProcessHarness(driver: 'sync' | 'memory'): QueueHarness {
  let app: Herald | undefined;
  let push: MockInstance<(job: QueuedJob) => Promise<void>> | undefined;

  const booted = (): Herald => {
    if (app === undefined) throw new Error('harness: boot() first');
    return app;
  };

  return {
    driver,
    features: driver === 'sync' ? INLINE_FEATURES : QUEUED_FEATURES,

    async boot(options: BootOptions): Promise<Herald> {
      push = vi.spyOn(driver === 'sync' ? SyncDriver.prototype : MemoryDriver.prototype, 'push');
      const queue = options.defaultQueue === undefined ? {} : { queue: options.defaultQueue };
      const connection =
        driver === 'sync'
          ? ({ driver: 'sync', ...queue } as const)
          : ({ driver: 'memory', concurrency: options.concurrency ?? 10, ...queue } as const);
      app = await createHerald(conformanceConfig(connection, options.listeners));
      return app;
    },

    async dispatch(event: object): Promise<unknown> {
      return booted()
        .dispatch(event)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    },

    async startWorker(): Promise<void> {},

    async settle(until?: () => boolean): Promise<void> {
      await booted().drain();
      if (until !== undefined && !until()) {
        throw new Error(
          `harness(${driver}): the queue is idle but the expected outcome never came; timeline: ${JSON.stringify(recorded.timeline)}`,
        );
      }
    },

    async storedJobs(): Promise<JobPayload[]> {
      const calls = push?.mock.calls ?? [];
      return calls.map(([job]) => JSON.parse(JSON.stringify(job.data)) as JobPayload);
    },

    async close(): Promise<void> {
      await app?.close();
      push?.mockRestore();
    },
  };
}
