import { HeraldError } from '../errors.js';
import type { BacklogQuery } from './backlog.js';
import type { DriverFeatures, QueueDriver, WorkerRequest } from './driver.js';
import type { FailedJobStore } from './failed/failed-job-store.js';
import type { QueuedJob } from './job/queued-job.js';
import { LoadOnce } from './lazy-load.js';
import type { QueueStateReader } from './queue-states.js';

/** What a {@link LazyQueueDriver} knows before its module loads: its descriptor's answers. */
export interface LazyDriverShape {
  readonly connection: string;
  readonly defaultQueue: string;
  readonly features: DriverFeatures;
}

/**
 * A Redis driver (`bullmq`, `streams`) that loads its module, and with it BullMQ and ioredis, on
 * its first push or worker. Why: `import 'herald'` then loads neither, so a memory-only app, a
 * test and every CLI generator start ~0.25 s sooner (bench:boot). The drivers open nothing until
 * used anyway, so nothing observable moves: `close()` of a driver never used loads nothing.
 * Only for drivers whose sync members are constant (`isIdle()` true: their jobs live in Redis).
 */
export class LazyQueueDriver implements QueueDriver {
  readonly connection: string;
  readonly inline = false;
  readonly defaultQueue: string;
  readonly features: DriverFeatures;
  readonly failedJobs: FailedJobStore;
  readonly queueStates: QueueStateReader;
  readonly #driver: LoadOnce<QueueDriver>;
  #closed = false;

  constructor(shape: LazyDriverShape, load: () => Promise<QueueDriver>) {
    this.connection = shape.connection;
    this.defaultQueue = shape.defaultQueue;
    this.features = shape.features;
    this.#driver = new LoadOnce(load);
    const part = async <K extends 'failedJobs' | 'queueStates'>(key: K) => {
      const value = (await this.#load())[key];
      if (value === undefined) throw new Error(`The ${this.connection} driver has no ${key}.`);
      return value as NonNullable<QueueDriver[K]>;
    };
    this.failedJobs = {
      listFailed: async (queues) => (await part('failedJobs')).listFailed(queues),
      pageFailed: async (queues, range) => (await part('failedJobs')).pageFailed(queues, range),
      countFailed: async (queues) => (await part('failedJobs')).countFailed(queues),
      findFailed: async (id, queues) => (await part('failedJobs')).findFailed(id, queues),
      retryFailed: async (ids, queues) => (await part('failedJobs')).retryFailed(ids, queues),
      forgetFailed: async (id, queues) => (await part('failedJobs')).forgetFailed(id, queues),
      flushFailed: async (queues) => (await part('failedJobs')).flushFailed(queues),
    };
    this.queueStates = { count: async (queues) => (await part('queueStates')).count(queues) };
  }

  /**
   * The driver, loaded on first use. Closed before it ever loaded: refused as the driver refuses
   * use after its close (loading it then would open connections nobody closes).
   */
  #load(): Promise<QueueDriver> {
    if (this.#closed && this.#driver.started === undefined) {
      return Promise.reject(
        new HeraldError('closed', `The queue connection "${this.connection}" is closed.`),
      );
    }
    return this.#driver.load();
  }

  push(job: QueuedJob): Promise<void> {
    // Loaded: straight through, so pushes of one tick still meet in the driver's batch.
    const driver = this.#driver.value;
    if (driver !== undefined) return driver.push(job);
    return this.#load().then((loaded) => loaded.push(job));
  }

  async pushOnce(job: QueuedJob, once: string): Promise<void> {
    const driver = await this.#load();
    if (driver.pushOnce === undefined) throw new Error(`The ${this.connection} driver has no pushOnce.`);
    return driver.pushOnce(job, once);
  }

  async forgetOnce(job: QueuedJob, once: string): Promise<void> {
    await (await this.#load()).forgetOnce?.(job, once);
  }

  async createWorker(request: WorkerRequest) {
    return (await this.#load()).createWorker(request);
  }

  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
    // A load that failed opened nothing (its push already rejected with why): nothing to close.
    await (await this.#driver.started?.catch(() => undefined))?.close();
  }

  async heraldKeys() {
    const driver = await this.#load();
    if (driver.heraldKeys === undefined) throw new Error(`The ${this.connection} driver has no heraldKeys.`);
    return driver.heraldKeys();
  }

  async backlog(listeners: readonly BacklogQuery[]) {
    const driver = await this.#load();
    if (driver.backlog === undefined) throw new Error(`The ${this.connection} driver has no backlog.`);
    return driver.backlog(listeners);
  }
}
