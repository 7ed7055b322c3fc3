import { Container } from 'inversify';
import type { HeraldParts } from './app-parts.js';
import { clearCurrentDispatcher } from './events/current-dispatcher.js';
import type { FakeScope } from './events/dispatch-recorder.js';
import {
  closeDispatcher,
  EventDispatcher,
  type ListenerInfo,
  recordDispatches,
  stopRecording,
} from './events/event-dispatcher.js';
import type { ListenerFunction, ListenerOptions } from './listeners/listener-options.js';
import type { HeraldLogger } from './logging/herald-logger.js';
import type { AnyClass } from './metadata/class-types.js';
import { AppMetrics, type HeraldStats, type StatsOptions } from './metrics/app-metrics.js';
import { type MetricsRegistryOptions, PrometheusMetrics } from './metrics/prometheus-metrics.js';
import type { HeraldOutbox } from './outbox/herald-outbox.js';
import type { FailedJob } from './queue/failed/failed-job.js';
import { FailedJobOperations, type ListFailedOptions } from './queue/failed/failed-operations.js';
import type { FailedJobsOptions } from './queue/failed/failed-store-of.js';
import { QueueBridge } from './queue/job/queue-bridge.js';
import { QueueConnections } from './queue/queue-connections.js';
import { JobRunner } from './queue/runner/job-runner.js';
import type { DeadLetter, RetryDeadOutcome, StreamPartitionState } from './queue/stream-admin.js';
import {
  type ReplayOptions,
  type StreamListenerRef,
  StreamOperations,
  type StreamsOptions,
} from './queue/stream-operations.js';
import type { HeraldWorker } from './queue/worker/herald-worker.js';
import type { WorkOptions } from './queue/worker/work-options.js';
import { type WorkRequestParts, workRequestOf } from './queue/worker/work-request.js';
import { queuesOfConnection, validateWorkOptions } from './queue/worker/worker-queues.js';
import { EventRegistry } from './registry/event-registry.js';
import { ListenerRegistry } from './registry/listener-registry.js';
import { type EventFake, startEventFake } from './testing/event-fake.js';

export type { FailedJobsOptions, ListFailedOptions, MetricsRegistryOptions };

/** A booted herald app: container, listeners, queue connections. Made by {@link createHerald}. */
export class Herald {
  /** The inversify container listeners are built by (yours, if you passed one). */
  readonly container: Container;
  /** The dispatcher, also bound in the container as `EventDispatcher`. */
  readonly events: EventDispatcher;
  /** The config's `logger`, if one was given (the dashboard logs its errors there). */
  readonly logger: HeraldLogger | undefined;
  /** The transactional outbox (relay, status, install) when the config has `outbox`. */
  readonly outbox: HeraldOutbox | undefined;
  readonly #connections: QueueConnections;
  readonly #registry: { events: EventRegistry; listeners: ListenerRegistry };
  readonly #runner: JobRunner;
  readonly #bridge: QueueBridge;
  readonly #workers = new Set<HeraldWorker>();
  readonly #streamOps: StreamOperations;
  readonly #metrics: AppMetrics;
  readonly #failed: FailedJobOperations;
  /** What `work()` builds a worker request from (work-request.ts); `tap`: the Prometheus series. */
  readonly #workParts: WorkRequestParts & { readonly tap: PrometheusMetrics };
  #fake: EventFake | undefined;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link createHerald}. */
  constructor(parts: HeraldParts) {
    this.container = parts.container;
    this.events = parts.dispatcher;
    this.logger = parts.logger;
    this.#connections = parts.connections;
    this.#registry = { events: parts.events, listeners: parts.listeners };
    this.#runner = parts.runner;
    this.outbox = parts.outbox;
    this.#bridge = parts.bridge;
    this.#streamOps = new StreamOperations(parts.connections, parts.listeners, parts.events);
    this.#metrics = new AppMetrics(parts.connections, parts.listeners);
    this.#failed = new FailedJobOperations(parts.connections, (connection) => this.queuesOf(connection));
    const tap = new PrometheusMetrics(parts.connections, (connection) => this.streams({ connection }));
    this.#workParts = { ...parts, tap };
  }

  /**
   * Fakes events (Laravel's `Event::fake()`): dispatches of the faked events are recorded
   * instead of running listeners or pushing jobs. With a list, only those events are faked and
   * the rest run. A new fake replaces an active one. Call `restore()` when done (in `afterEach`).
   *
   * @example
   * const fake = herald.fake([OrderShipped]);
   * await checkout();
   * fake.assertDispatched(OrderShipped, (e) => e.total === 42);
   */
  fake(events?: readonly AnyClass[]): EventFake {
    // An empty list fakes everything, like Laravel's Event::fake([]).
    return this.#startFake(events === undefined || events.length === 0 ? 'all' : { only: events });
  }

  /** Fakes every event except the listed ones, which run as usual. */
  fakeExcept(events: readonly AnyClass[]): EventFake {
    return this.#startFake({ except: events });
  }

  /**
   * Runs `fn` with events faked and restores afterwards, even when `fn` throws; returns what
   * `fn` returned.
   *
   * @example
   * const order = await herald.fakeFor(() => checkout(), [OrderShipped]);
   */
  async fakeFor<T>(fn: (fake: EventFake) => T | Promise<T>, events?: readonly AnyClass[]): Promise<T> {
    const fake = this.fake(events);
    try {
      return await fn(fake);
    } finally {
      fake.restore();
    }
  }

  #startFake(scope: FakeScope): EventFake {
    this.#fake?.restore();
    this.#fake = startEventFake({
      record: (recorder) => recordDispatches(this.events, scope, recorder),
      stopRecording: (recorder) => stopRecording(this.events, recorder),
      getListeners: (target) => this.events.getListeners(target),
      listeners: () => this.#registry.listeners.all(),
      runner: this.#runner,
    });
    return this.#fake;
  }

  /** Dispatches an event; see {@link EventDispatcher.dispatch}. */
  dispatch(event: object): Promise<void> {
    return this.events.dispatch(event);
  }

  /** Dispatches when `condition` is true. */
  dispatchIf(condition: boolean | (() => boolean), event: object): Promise<void> {
    return this.events.dispatchIf(condition, event);
  }

  /** Dispatches when `condition` is false. */
  dispatchUnless(condition: boolean | (() => boolean), event: object): Promise<void> {
    return this.events.dispatchUnless(condition, event);
  }

  /** Runs listeners until one returns a value; see {@link EventDispatcher.until}. */
  until(event: object): Promise<unknown> {
    return this.events.until(event);
  }

  /** Registers a listener at runtime; returns its unsubscribe function. */
  listen<T extends AnyClass>(
    target: T | readonly T[] | string,
    listener: AnyClass | ListenerFunction<InstanceType<T>>,
    options?: ListenerOptions<InstanceType<T>>,
  ): () => void {
    return this.events.listen(target, listener, options);
  }

  /** Whether anything listens to an event class or wire name. */
  hasListeners(target: AnyClass | string): boolean {
    return this.events.hasListeners(target);
  }

  /** The listeners of an event class or wire name, in run order. */
  getListeners(target: AnyClass | string): ListenerInfo[] {
    return this.events.getListeners(target);
  }

  /** Removes the listeners of an event class or wire name. */
  forget(target: AnyClass | string): void {
    this.events.forget(target);
  }

  /** Every registered event class, in registration order. */
  eventClasses(): AnyClass[] {
    return this.#registry.events.events();
  }

  /** The name of the default queue connection. */
  get defaultConnection(): string {
    return this.#connections.defaultName;
  }

  /**
   * Runs queued listeners of one connection in this process (`herald queue:work` wraps it): on
   * bullmq, BullMQ workers on the named queues (default: every queue its listeners use plus its
   * default queue); on `streams`, one consumer group per listener; on `memory` and `sync` jobs
   * already run in-process, so the worker only waits for its stop condition.
   *
   * @example
   * const worker = await herald.work({ queues: ['emails'], concurrency: 10 });
   * process.on('SIGTERM', () => void worker.close());
   */
  async work(options: WorkOptions = {}): Promise<HeraldWorker> {
    const name = options.connection ?? this.#connections.defaultName;
    validateWorkOptions(options);
    const driver = this.#connections.driver(name);
    const request = workRequestOf(this.#workParts, name, options);
    const worker = await this.#metrics.startWorker(name, driver, request);
    this.#workers.add(worker);
    const forget = () => this.#workers.delete(worker);
    void worker.stopped.then(forget, forget); // may reject: its caller handles that, not this
    return worker;
  }

  /** Per queued listener: counts and percentiles over a window, and its jobs now (`queue:monitor`). */
  stats(options?: StatsOptions): Promise<HeraldStats> {
    return this.#metrics.stats(options);
  }

  /** Failed jobs of a connection's queues, newest first: all, or a page with `offset`/`limit`. */
  failedJobs(options: ListFailedOptions = {}): Promise<FailedJob[]> {
    return this.#failed.list(options);
  }

  /** One failed job by id (as `failedJobs()` gives it); undefined when no failed job has it. */
  failedJob(id: string, options: FailedJobsOptions = {}): Promise<FailedJob | undefined> {
    return this.#failed.find(id, options);
  }

  /** How many failed jobs a connection's queues keep. */
  countFailed(options: FailedJobsOptions = {}): Promise<number> {
    return this.#failed.count(options);
  }

  /** Runs failed jobs again with fresh attempts (`'all'`, or ids); returns the ids retried. */
  retryFailed(ids: readonly string[] | 'all', options: FailedJobsOptions = {}): Promise<string[]> {
    return this.#failed.retry(ids, options);
  }

  /** Deletes one failed job; false when no failed job has that id. */
  forgetFailed(id: string, options: FailedJobsOptions = {}): Promise<boolean> {
    return this.#failed.forget(id, options);
  }

  /** Deletes every failed job of a connection's queues; returns how many. */
  flushFailed(options: FailedJobsOptions = {}): Promise<number> {
    return this.#failed.flush(options);
  }

  /** A log connection's streams with length and each listener's lag, pending, dead letters (`stream:list`). */
  streams(options: StreamsOptions = {}): Promise<StreamPartitionState[]> {
    return this.#streamOps.streams(options);
  }

  /** The dead letters of a listener (class or wire name) on its log connection, oldest first. */
  deadLetters(listener: StreamListenerRef): Promise<DeadLetter[]> {
    return this.#streamOps.deadLetters(listener);
  }

  /** Runs dead letters (entry ids, or `'all'`) again for that listener only, with fresh tries. */
  retryDead(listener: StreamListenerRef, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome> {
    return this.#streamOps.retryDead(listener, ids);
  }

  /**
   * Hands a listener the entries of its streams again from `from` (`'start'`, an entry id, or a
   * Date) on, to that listener only; resolves with the partitions moved.
   *
   * @example
   * await herald.replay(ProjectRevenue, { from: new Date('2026-01-31T12:00:00Z') });
   */
  replay(listener: StreamListenerRef, options: ReplayOptions): Promise<number> {
    return this.#streamOps.replay(listener, options);
  }

  /**
   * A prom-client Registry (an optional peer) with herald's series for the workers this app starts
   * after the first call; merge it: `Registry.merge([appRegistry, await herald.metricsRegistry()])`.
   */
  metricsRegistry(options?: MetricsRegistryOptions): Promise<import('prom-client').Registry> {
    return this.#workParts.tap.registry(options);
  }

  /** Names of the queues the registered queued listeners of a connection use. */
  queuesOf(connection: string = this.#connections.defaultName): string[] {
    // The driver's default queue (its `queue`), whatever the driver: test/conformance/suites/queues.ts.
    const { defaultQueue } = this.#connections.driver(connection);
    const { defaultName } = this.#connections;
    return queuesOfConnection(this.#registry.listeners, connection, defaultName, defaultQueue);
  }

  /** Resolves once the in-process queues (memory, sync) have nothing waiting, delayed or active. */
  drain(): Promise<void> {
    return this.#connections.drain();
  }

  /** Closes queue connections; later dispatches reject. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      closeDispatcher(this.events);
      clearCurrentDispatcher(this.events);
      await Promise.allSettled([...this.#workers].map((worker) => worker.close()));
      await this.outbox?.close();
      await this.#streamOps.close();
      await this.#connections.close();
    })();
    return this.#closing;
  }
}
