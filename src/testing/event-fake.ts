import { AssertionError } from 'node:assert';
import type { ListenerInstances } from '../container/listener-instances.js';
import type { DispatchInterceptor } from '../events/dispatch-interceptor.js';
import { eventMetadataOf } from '../events/event-metadata.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import { dispatchFacts } from '../queue/dispatch-facts.js';
import type { JobRunner } from '../queue/job-runner.js';
import type { DispatchFacts, QueueBridge } from '../queue/queue-bridge.js';
import { SyncDriver } from '../queue/sync-driver.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { ListenerRegistry } from '../registry/listener-registry.js';
import {
  describeDispatched,
  describeQueued,
  isListener,
  listenerLabel,
  nameOf,
  notQueuedReason,
  plural,
  times,
} from './describe-recorded.js';
import type { FakeScope, ListenedEvent, ListenerClass, ListeningTarget } from './fake-types.js';
import type { RecordedDispatch, RecordedJob } from './recorded.js';

/** What a fake needs from its app. */
export interface FakeParts {
  readonly events: EventRegistry;
  readonly listeners: ListenerRegistry;
  readonly instances: ListenerInstances;
  readonly bridge: QueueBridge;
  readonly runner: JobRunner;
  /** Makes the fake the dispatcher's interceptor. */
  readonly install: (interceptor: DispatchInterceptor) => void;
  /** Removes the fake, unless a newer interceptor replaced it already. */
  readonly uninstall: (interceptor: DispatchInterceptor) => void;
}

/**
 * Records dispatches instead of running listeners, Laravel's `Event::fake()`. Made by
 * `herald.fake()`, `herald.fake([A, B])`, `herald.fakeExcept([...])` or `herald.fakeFor(fn)`.
 * While it is active, a faked event runs no listener and pushes no job: queued listeners are
 * recorded as the jobs they would have been (`assertQueued`, `runQueued`). Every assertion
 * failure throws node's `AssertionError` whose one-line message lists what was actually
 * dispatched or queued, so it works under vitest, jest and `node:test` alike.
 *
 * Restore it after each test (`afterEach(() => fake.restore())`) when the app outlives the test.
 * A new `herald.fake()` replaces the active fake; restoring an older fake never removes a newer.
 *
 * @example
 * const fake = herald.fake();
 * await placeOrder();
 * fake.assertDispatched(OrderShipped, (e) => e.total === 42);
 * fake.assertQueued(SendShipmentNotification);
 * fake.restore();
 */
export class EventFake implements DispatchInterceptor {
  readonly #parts: FakeParts;
  readonly #scope: FakeScope;
  readonly #dispatched: RecordedDispatch[] = [];
  readonly #queued: RecordedJob[] = [];
  /** Queued listeners whose `shouldQueue(event)` returned false, for failure messages. */
  readonly #declined: ListenerDefinition[] = [];
  #restored = false;

  /** @internal Use `herald.fake()`. */
  constructor(parts: FakeParts, scope: FakeScope) {
    this.#parts = parts;
    this.#scope = scope;
    parts.install(this);
  }

  /**
   * @internal Called by the dispatcher for every dispatch while the fake is active. A faked
   * event is recorded, with the job each queued listener would get: built and encoded exactly as
   * a real dispatch would (`shouldQueue`, `viaQueue`, `tags`... and payload encoding run), so a
   * payload a queue could not carry still fails the dispatch.
   */
  intercept(
    event: object,
    eventClass: AnyClass,
    eventName: string,
    plan: readonly ListenerDefinition[],
  ): boolean {
    if (!this.#fakes(eventClass)) return false;
    const jobs: RecordedJob[] = [];
    const declined: ListenerDefinition[] = [];
    let facts: DispatchFacts | undefined;
    for (const definition of plan) {
      if (!definition.options.queued) continue;
      facts ??= dispatchFacts(event, eventName, this.#parts.events.payloadClasses);
      const built = this.#parts.bridge.build(definition, event, facts);
      if (built === undefined) declined.push(definition);
      else
        jobs.push({ definition, eventClass, eventName, event, job: built.job, connection: built.connection });
    }
    this.#dispatched.push({ eventClass, eventName, event });
    this.#queued.push(...jobs);
    this.#declined.push(...declined);
    return true;
  }

  #fakes(eventClass: AnyClass): boolean {
    if (this.#scope === 'all') return true;
    if ('only' in this.#scope) return this.#scope.only.includes(eventClass);
    return !this.#scope.except.includes(eventClass);
  }

  /** The recorded events of a class (the dispatched instances), optionally filtered. */
  dispatched<T extends AnyClass>(
    event: T,
    predicate?: (event: InstanceType<T>) => boolean,
  ): InstanceType<T>[] {
    return this.#dispatched
      .filter((entry) => entry.eventClass === event)
      .map((entry) => entry.event as InstanceType<T>)
      .filter((instance) => predicate === undefined || predicate(instance));
  }

  /**
   * The events a queued listener would have been pushed with (not yet run by `runQueued`). Takes
   * the listener class, or a listener wire name (e.g. `'AuditSubscriber.onLogout'`).
   */
  queued<L extends ListenerClass>(
    listener: L,
    predicate?: (event: ListenedEvent<L>) => boolean,
  ): ListenedEvent<L>[];
  queued(listener: string, predicate?: (event: object) => boolean): object[];
  queued(listener: ListenerClass | string, predicate?: (event: never) => boolean): object[] {
    return this.#jobsOf(listener, predicate as Predicate).map((entry) => entry.event);
  }

  #jobsOf(listener: ListenerClass | string, predicate?: Predicate): RecordedJob[] {
    return this.#queued.filter(
      (entry) =>
        isListener(entry.definition, listener) && (predicate === undefined || predicate(entry.event)),
    );
  }

  /**
   * Asserts the event was dispatched: at least once, at least once matching `predicate`, or
   * exactly `times` times.
   */
  assertDispatched<T extends AnyClass>(
    event: T,
    predicateOrTimes?: ((event: InstanceType<T>) => boolean) | number,
  ): void {
    if (typeof predicateOrTimes === 'number') {
      this.assertDispatchedTimes(event, predicateOrTimes);
      return;
    }
    if (this.dispatched(event, predicateOrTimes).length > 0) return;
    const all = this.dispatched(event).length;
    const what =
      predicateOrTimes === undefined
        ? `Expected ${nameOf(event)} to be dispatched, but it was not.`
        : all === 0
          ? `Expected ${nameOf(event)} to be dispatched matching the predicate, but it was not dispatched at all.`
          : `Expected ${nameOf(event)} to be dispatched matching the predicate, but none of its ${plural(all, 'dispatch')} matched.`;
    this.#fail(`${what} ${describeDispatched(this.#dispatched)}`, { actual: all, expected: '>= 1' });
  }

  /** Asserts the event was dispatched exactly `count` times. */
  assertDispatchedTimes(event: AnyClass, count: number): void {
    const actual = this.dispatched(event).length;
    if (actual === count) return;
    this.#fail(
      `Expected ${nameOf(event)} to be dispatched ${times(count)}, but it was dispatched ${times(actual)}. ${describeDispatched(this.#dispatched)}`,
      { actual, expected: count },
    );
  }

  /** Asserts the event was not dispatched (or none matching `predicate`). */
  assertNotDispatched<T extends AnyClass>(event: T, predicate?: (event: InstanceType<T>) => boolean): void {
    const found = this.dispatched(event, predicate).length;
    if (found === 0) return;
    const what =
      predicate === undefined
        ? `Expected ${nameOf(event)} not to be dispatched, but it was dispatched ${times(found)}.`
        : `Expected no ${nameOf(event)} matching the predicate to be dispatched, but ${found} of its ${plural(this.dispatched(event).length, 'dispatch')} matched.`;
    this.#fail(`${what} ${describeDispatched(this.#dispatched)}`, { actual: found, expected: 0 });
  }

  /** Asserts no faked event was dispatched at all. */
  assertNothingDispatched(): void {
    const count = this.#dispatched.length;
    if (count === 0) return;
    this.#fail(
      `Expected nothing to be dispatched, but ${plural(count, 'event')} ${count === 1 ? 'was' : 'were'}. ${describeDispatched(this.#dispatched)}`,
      { actual: count, expected: 0 },
    );
  }

  /**
   * Asserts a listener listens to the event, however it was registered: discovered or decorated
   * (`@Listener`), a subscriber class (`@Subscriber` + `@On`), or `listen()` with a class or a
   * closure, including wildcard patterns that match the event's wire name. The event may also be
   * given as a wire name.
   */
  assertListening(event: AnyClass | string, listener: ListeningTarget): void {
    const plan =
      typeof event === 'string'
        ? this.#parts.listeners.planForName(event, this.#parts.events.registeredEvent(event))
        : this.#parts.listeners.planForName(eventMetadataOf(event)?.name ?? nameOf(event), event);
    if (plan.some((definition) => definition.target === listener || definition.fn === listener)) return;
    const listening = plan.map(listenerLabel);
    this.#fail(
      `Expected ${nameOf(listener)} to listen to ${nameOf(event)}, but it does not. ${
        listening.length === 0
          ? `${nameOf(event)} has no listeners.`
          : `Listeners of ${nameOf(event)}: ${listening.join(', ')}.`
      }`,
      { actual: listening, expected: nameOf(listener) },
    );
  }

  /**
   * Asserts a queued listener would have been pushed as a job (respecting `shouldQueue`), at
   * least once, or at least once with an event matching `predicate`. Takes the listener class,
   * or a listener wire name (queued subscriber methods: `'AuditSubscriber.onLogout'`).
   */
  assertQueued<L extends ListenerClass>(listener: L, predicate?: (event: ListenedEvent<L>) => boolean): void;
  assertQueued(listener: string, predicate?: (event: object) => boolean): void;
  assertQueued(listener: ListenerClass | string, predicate?: (event: never) => boolean): void {
    const all = this.#jobsOf(listener).length;
    if (all > 0 && (predicate === undefined || this.#jobsOf(listener, predicate as Predicate).length > 0))
      return;
    const name = nameOf(listener);
    const what =
      predicate === undefined || all === 0
        ? `Expected ${name} to be queued${predicate === undefined ? '' : ' with an event matching the predicate'}, but it was not${this.#notQueuedReason(listener)}.`
        : `Expected ${name} to be queued with an event matching the predicate, but none of its ${plural(all, 'job')} matched.`;
    this.#fail(`${what} ${describeQueued(this.#queued)}`, { actual: all, expected: '>= 1' });
  }

  /** Asserts a queued listener was not pushed (or not with an event matching `predicate`). */
  assertNotQueued<L extends ListenerClass>(
    listener: L,
    predicate?: (event: ListenedEvent<L>) => boolean,
  ): void;
  assertNotQueued(listener: string, predicate?: (event: object) => boolean): void;
  assertNotQueued(listener: ListenerClass | string, predicate?: (event: never) => boolean): void {
    const found = this.#jobsOf(listener, predicate as Predicate).length;
    if (found === 0) return;
    const name = nameOf(listener);
    const what =
      predicate === undefined
        ? `Expected ${name} not to be queued, but it was queued ${times(found)}.`
        : `Expected ${name} not to be queued with an event matching the predicate, but ${found} of its ${plural(this.#jobsOf(listener).length, 'job')} matched.`;
    this.#fail(`${what} ${describeQueued(this.#queued)}`, { actual: found, expected: 0 });
  }

  #notQueuedReason(listener: ListenerClass | string): string {
    return notQueuedReason(listener, this.#parts.listeners.all(), this.#declined);
  }

  /**
   * Runs the recorded queued listeners inline, in the order they were recorded, through the real
   * job runner: each gets a decoded copy of the event as a worker would, with its `tries`,
   * retries (back to back, no backoff wait, no delay) and `failed()` hook, like the `sync`
   * connection. Forgets the jobs it ran; jobs recorded while it runs (a faked event dispatched by
   * a listener) stay recorded for the next call. Every job runs even when one fails; then it
   * rejects with the first failure (a `HeraldError` of kind `listener_failed`).
   */
  async runQueued(): Promise<void> {
    const jobs = this.#queued.splice(0);
    const driver = new SyncDriver('fake', this.#parts.runner);
    const failures: unknown[] = [];
    for (const { job } of jobs) {
      try {
        await driver.push(job);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Stops faking: later dispatches run their listeners again. Idempotent. */
  restore(): void {
    if (this.#restored) return;
    this.#restored = true;
    this.#parts.uninstall(this);
  }

  /** Whether this fake has not been restored (a newer fake may have replaced it, though). */
  get active(): boolean {
    return !this.#restored;
  }

  #fail(message: string, details: { actual: unknown; expected: unknown }): never {
    throw new AssertionError({ message, ...details, operator: 'herald.fake' });
  }
}

type Predicate = ((event: object) => boolean) | undefined;
