import { eventMetadataOf } from '../metadata/event-metadata.js';
import type { BacklogQuery, ListenerBacklog } from '../queue/backlog.js';
import type { QueueDriver, WorkerRequest } from '../queue/driver.js';
import type { QueueConnections } from '../queue/queue-connections.js';
import type { HeraldWorker } from '../queue/worker/herald-worker.js';
import type { JobReport } from '../queue/worker/job-report.js';
import type { ListenerRegistry } from '../registry/listener-registry.js';
import { type HeraldStats, type ListenerStats, listenerStatsOf, type StatsOptions } from './herald-stats.js';
import type { ListenerCounts } from './listener-counts.js';
import { MemoryMetrics } from './memory-metrics.js';
import { addReport } from './metrics-batch.js';
import type { MetricsStore, WorkerHeartbeat } from './metrics-store.js';
import { RedisMetrics } from './redis-metrics.js';
import { WorkerRecorder } from './worker-recorder.js';

export type { HeraldStats, ListenerStats, StatsOptions } from './herald-stats.js';

/** The default `since` of `herald.stats()`: 15 minutes. */
export const DEFAULT_STATS_WINDOW_MS = 15 * 60_000;

/**
 * Whether workers record metrics: `HERALD_METRICS=off` turns recording off (reading stays),
 * for measuring what recording costs (`npm run bench:queue`) or for an app that wants none.
 */
export function metricsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.HERALD_METRICS !== 'off';
}

/**
 * The app's metrics: which store each connection uses (its Redis when the driver offers
 * `heraldKeys`, else this process), recording for `work()` and for in-process drivers, and
 * `herald.stats()`.
 */
export class AppMetrics {
  readonly #connections: QueueConnections;
  readonly #listeners: ListenerRegistry;
  readonly #stores = new Map<string, MetricsStore>();
  readonly #enabled = metricsEnabled();

  constructor(connections: QueueConnections, listeners: ListenerRegistry) {
    this.#connections = connections;
    this.#listeners = listeners;
    // memory runs attempts without work(): its driver's own reports are recorded, as they come.
    connections.onDriver((name, driver) => {
      if (!this.#enabled || driver.heraldKeys !== undefined || driver.onJob === undefined) return;
      const store = this.#storeOf(name, driver) as MemoryMetrics;
      driver.onJob((report) => {
        const batch = new Map();
        addReport(batch, report);
        store.add(batch);
      });
    });
  }

  #storeOf(name: string, driver: QueueDriver): MetricsStore {
    let store = this.#stores.get(name);
    if (store === undefined) {
      const keys = driver.heraldKeys;
      store = keys === undefined ? new MemoryMetrics() : new RedisMetrics(name, () => keys.call(driver));
      this.#stores.set(name, store);
    }
    return store;
  }

  /**
   * Starts the request's worker with options that record each attempt on a Redis connection
   * before the caller's `onJob`, and flushes the last counts once the worker stopped. In-process
   * drivers are recorded already (see the constructor): their options pass through.
   */
  async startWorker(name: string, driver: QueueDriver, request: WorkerRequest): Promise<HeraldWorker> {
    const { options, queues } = request;
    if (!this.#enabled || driver.heraldKeys === undefined) return driver.createWorker(request);
    const recorder = new WorkerRecorder(
      this.#storeOf(name, driver),
      { connection: name, queues, concurrency: options.concurrency ?? 1 },
      options.onError ?? (() => {}),
    );
    const onJob = options.onJob;
    const record: (report: JobReport) => void =
      onJob === undefined
        ? (report) => recorder.record(report)
        : (report) => {
            recorder.record(report);
            onJob(report);
          };
    let worker: HeraldWorker;
    try {
      worker = await driver.createWorker({ ...request, options: { ...options, onJob: record } });
    } catch (error) {
      await recorder.close();
      throw error;
    }
    const stop = () => void recorder.close();
    void worker.stopped.then(stop, stop);
    return worker;
  }

  /** See `Herald.stats()`. */
  async stats(options: StatsOptions = {}): Promise<HeraldStats> {
    const until = Date.now();
    const { since = DEFAULT_STATS_WINDOW_MS } = options;
    const from = typeof since === 'number' ? until - since : since.getTime();
    const names = options.connection === undefined ? this.#queuedConnections() : [options.connection];
    const listeners: ListenerStats[] = [];
    const workers: WorkerHeartbeat[] = [];
    for (const name of names) {
      const driver = this.#connections.driver(name);
      const store = this.#storeOf(name, driver);
      const queries = this.#queriesOf(name, driver);
      const [counts, backlog, beats] = await Promise.all([
        store.read(from, until),
        driver.backlog === undefined ? Promise.resolve([] as ListenerBacklog[]) : driver.backlog(queries),
        store.workers(),
      ]);
      workers.push(...beats);
      for (const query of queries) {
        const where = { listener: query.listener, connection: name, queue: query.queue };
        const own = backlog.find((each) => each.listener === query.listener);
        listeners.push(listenerStatsOf(where, counts.get(query.listener) as ListenerCounts | undefined, own));
      }
    }
    return { since: new Date(from), until: new Date(until), listeners, workers };
  }

  /** Connections some queued listener uses, the default first. */
  #queuedConnections(): string[] {
    const defaultName = this.#connections.defaultName;
    const names = new Set<string>();
    for (const definition of this.#listeners.all()) {
      if (definition.options.queued) names.add(definition.options.connection ?? defaultName);
    }
    return [...names].sort((a, b) => (a === defaultName ? -1 : b === defaultName ? 1 : a.localeCompare(b)));
  }

  #queriesOf(name: string, driver: QueueDriver): BacklogQuery[] {
    const defaultName = this.#connections.defaultName;
    const queries: BacklogQuery[] = [];
    for (const definition of this.#listeners.all()) {
      const { options } = definition;
      if (!options.queued || (options.connection ?? defaultName) !== name) continue;
      const streams = new Set<string>();
      for (const eventClass of definition.events) {
        const metadata = eventMetadataOf(eventClass);
        if (metadata !== undefined) streams.add(metadata.streaming?.stream ?? metadata.name);
      }
      // A log connection has no queues: its listeners are known by the streams they read.
      const log = this.#connections.config(name)?.driver === 'streams';
      const queue = log ? [...streams].join(',') : (options.queue ?? driver.defaultQueue);
      queries.push({ listener: definition.name, queue, streams: [...streams] });
    }
    return queries;
  }
}
