import type { Registry } from 'prom-client';
import type { QueueConnections } from '../queue/queue-connections.js';
import type { QueueStateCounts } from '../queue/queue-states.js';
import type { StreamPartitionState } from '../queue/stream-admin.js';
import type { JobReport } from '../queue/worker/job-report.js';
import type { WorkerTap } from '../queue/worker/tapped-work-options.js';
import { loadPromClient } from './prometheus-client.js';
import { PrometheusQueueGauges, type QueueSnapshot } from './prometheus-queue-gauges.js';
import { PrometheusSeries } from './prometheus-series.js';

/** Options of `herald.metricsRegistry()`. */
export interface MetricsRegistryOptions {
  /**
   * Also collect Node's default process metrics (`process_cpu_seconds_total`, heap, event loop
   * lag...) into this registry, as `queue:work --metrics-port` does; default false, since an app
   * that runs prom-client usually collects them into its own registry already (merging two
   * copies fails on the duplicate names).
   */
  readonly processMetrics?: boolean;
}

/** How the series read a log connection's streams (the app's `herald.streams()`). */
export type StreamsOf = (connection: string) => Promise<StreamPartitionState[]>;

/**
 * One app's Prometheus series (`herald.metricsRegistry()`): a prom-client registry made on the
 * first ask (importing prom-client then), fed by every worker the app starts afterwards, and
 * reading the queues those workers watch at each scrape. Until asked it only remembers which
 * connections and queues the workers watch, so an app without metrics pays nothing per job.
 */
export class PrometheusMetrics implements WorkerTap {
  readonly #connections: QueueConnections;
  readonly #streamsOf: StreamsOf;
  /** The queues the app's workers take jobs from, by connection. */
  readonly #watched = new Map<string, Set<string>>();
  #registry: Promise<Registry> | undefined;
  #processMetrics = false;
  #record: ((report: JobReport) => void) | undefined;

  constructor(connections: QueueConnections, streamsOf: StreamsOf) {
    this.#connections = connections;
    this.#streamsOf = streamsOf;
  }

  watch(connection: string, queues: readonly string[]): void {
    const watched = this.#watched.get(connection) ?? new Set<string>();
    for (const queue of queues) watched.add(queue);
    this.#watched.set(connection, watched);
  }

  get onJob(): ((report: JobReport) => void) | undefined {
    return this.#record;
  }

  /** The registry with herald's series, made once; see {@link MetricsRegistryOptions}. */
  async registry(options: MetricsRegistryOptions = {}): Promise<Registry> {
    this.#registry ??= this.#create();
    const registry = await this.#registry;
    if (options.processMetrics === true && !this.#processMetrics) {
      this.#processMetrics = true;
      (await loadPromClient()).collectDefaultMetrics({ register: registry });
    }
    return registry;
  }

  async #create(): Promise<Registry> {
    const prom = await loadPromClient();
    const registry = new prom.Registry();
    const series = new PrometheusSeries(prom, registry);
    new PrometheusQueueGauges(prom, registry, () => this.#snapshot());
    this.#record = (report) => series.record(report);
    return registry;
  }

  /** Every watched connection read once; a connection that fails is named, not fatal. */
  async #snapshot(): Promise<QueueSnapshot> {
    const queues: QueueStateCounts[] = [];
    const streams: StreamPartitionState[] = [];
    const unreadable: string[] = [];
    await Promise.all(
      [...this.#watched].map(async ([connection, watched]) => {
        try {
          if (this.#connections.config(connection)?.driver === 'streams') {
            streams.push(...(await this.#streamsOf(connection)));
            return;
          }
          const reader = this.#connections.driver(connection).queueStates;
          if (reader !== undefined) queues.push(...(await reader.count([...watched])));
        } catch {
          unreadable.push(connection);
        }
      }),
    );
    return { queues, streams, unreadable };
  }
}
