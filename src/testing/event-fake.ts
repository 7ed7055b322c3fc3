import { AssertionError } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { ListenerInstances } from '../container/listener-instances.js';
import type { DispatchInterceptor } from '../events/dispatch-interceptor.js';
import { eventMetadataOf } from '../events/event-metadata.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import type { JobRunner } from '../queue/job-runner.js';
import type { QueueBridge } from '../queue/queue-bridge.js';
import { SyncDriver } from '../queue/sync-driver.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { ListenerRegistry } from '../registry/listener-registry.js';
import { encodePayload } from '../serialization/encode-payload.js';
import { describeDispatched, describeQueued, times } from './describe-recorded.js';
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

/** Which events a fake takes over. */
export type FakeScope =
  | { readonly only: readonly AnyClass[] }
  | { readonly except: readonly AnyClass[] }
  | 'all';

/** The event type of a listener class: its `handle`'s first parameter. */
export type ListenedEvent<L> = L extends abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: constructor parameters are irrelevant here.
  ...args: any[]
) => { handle(event: infer E, ...rest: never[]): unknown }
  ? E
  : never;

/** A listener class: what `assertQueued` and `assertListening` take. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor parameters.
export type ListenerClass = abstract new (...args: any[]) => { handle(...args: never[]): unknown };

/**
 * Records dispatches instead of running listeners, Laravel's `Event::fake()`. Made by
 * `herald.fake()`; every assertion failure throws node's `AssertionError` whose message lists
 * what was actually dispatched or queued.
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
  #restored = false;

  /** @internal Use `herald.fake()`. */
  constructor(parts: FakeParts, scope: FakeScope) {
    this.#parts = parts;
    this.#scope = scope;
    parts.install(this);
  }

  /** @internal Called by the dispatcher for every dispatch while the fake is active. */
  intercept(
    event: object,
    eventClass: AnyClass,
    eventName: string,
    plan: readonly ListenerDefinition[],
  ): boolean {
    if (!this.#fakes(eventClass)) return false;
    this.#dispatched.push({ eventClass, eventName, event });
    for (const definition of plan) {
      if (!definition.options.queued) continue;
      // "Would have been pushed": the same shouldQueue() check the real dispatch makes.
      const instance = this.#parts.instances.instanceOf(definition) as {
        shouldQueue?: (e: object) => unknown;
      };
      if (typeof instance.shouldQueue === 'function' && instance.shouldQueue(event) === false) continue;
      this.#queued.push({ definition, eventName, event });
    }
    return true;
  }

  #fakes(eventClass: AnyClass): boolean {
    if (this.#scope === 'all') return true;
    if ('only' in this.#scope) return this.#scope.only.includes(eventClass);
    return !this.#scope.except.includes(eventClass);
  }

  /** The recorded events of a class, optionally filtered. */
  dispatched<T extends AnyClass>(
    event: T,
    predicate?: (event: InstanceType<T>) => boolean,
  ): InstanceType<T>[] {
    return this.#dispatched
      .filter((entry) => entry.eventClass === event)
      .map((entry) => entry.event as InstanceType<T>)
      .filter((instance) => predicate === undefined || predicate(instance));
  }

  /** The events a queued listener would have been pushed with. */
  queued<L extends ListenerClass>(
    listener: L,
    predicate?: (event: ListenedEvent<L>) => boolean,
  ): ListenedEvent<L>[] {
    return this.#queued
      .filter((entry) => (entry.definition.target as unknown) === listener)
      .map((entry) => entry.event as ListenedEvent<L>)
      .filter((event) => predicate === undefined || predicate(event));
  }

  /**
   * Asserts the event was dispatched: at least once, once matching `predicate`, or exactly
   * `times` times.
   */
  assertDispatched<T extends AnyClass>(
    event: T,
    predicateOrTimes?: ((event: InstanceType<T>) => boolean) | number,
  ): void {
    if (typeof predicateOrTimes === 'number') {
      this.assertDispatchedTimes(event, predicateOrTimes);
      return;
    }
    const found = this.dispatched(event, predicateOrTimes);
    if (found.length > 0) return;
    const how = predicateOrTimes === undefined ? '' : ' matching the given predicate';
    const all = this.dispatched(event).length;
    const tried = predicateOrTimes !== undefined && all > 0 ? ` (${times(all)}, none matching)` : '';
    this.#fail(
      `Expected ${nameOf(event)} to be dispatched${how}, but it was not${tried}. ${describeDispatched(this.#dispatched)}`,
      {
        actual: all,
        expected: '>= 1',
      },
    );
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
    const found = this.dispatched(event, predicate);
    if (found.length === 0) return;
    const how = predicate === undefined ? '' : ' matching the given predicate';
    this.#fail(
      `Expected ${nameOf(event)} not to be dispatched${how}, but it was dispatched ${times(found.length)}. ${describeDispatched(this.#dispatched)}`,
      { actual: found.length, expected: 0 },
    );
  }

  /** Asserts no event at all was dispatched (while faked). */
  assertNothingDispatched(): void {
    if (this.#dispatched.length === 0) return;
    const count = this.#dispatched.length;
    this.#fail(
      `Expected nothing to be dispatched, but ${count} event${count === 1 ? ' was' : 's were'}. ${describeDispatched(this.#dispatched)}`,
      {
        actual: this.#dispatched.length,
        expected: 0,
      },
    );
  }

  /**
   * Asserts a listener (class, subscriber class or closure given to `listen`) listens to the
   * event, however it was registered.
   */
  assertListening(event: AnyClass, listener: AnyClass | ((...args: never[]) => unknown)): void {
    const name = eventMetadataOf(event)?.name ?? nameOf(event);
    const plan = this.#parts.listeners.planForName(name, event);
    if (plan.some((definition) => definition.target === listener || definition.fn === listener)) return;
    const listening = plan.map((definition) => definition.name);
    this.#fail(
      `Expected ${nameOf(listener)} to listen to ${nameOf(event)}, but it does not. Listening: ${listening.length === 0 ? 'nothing' : listening.join(', ')}.`,
      { actual: listening, expected: nameOf(listener) },
    );
  }

  /** Asserts a queued listener would have been pushed (respecting `shouldQueue`). */
  assertQueued<L extends ListenerClass>(listener: L, predicate?: (event: ListenedEvent<L>) => boolean): void {
    if (this.queued(listener, predicate).length > 0) return;
    const how = predicate === undefined ? '' : ' with an event matching the given predicate';
    this.#fail(
      `Expected ${nameOf(listener)} to be queued${how}, but it was not. ${describeQueued(this.#queued)}`,
      {
        actual: this.queued(listener).length,
        expected: '>= 1',
      },
    );
  }

  /** Asserts a queued listener was not pushed (or not with an event matching `predicate`). */
  assertNotQueued<L extends ListenerClass>(
    listener: L,
    predicate?: (event: ListenedEvent<L>) => boolean,
  ): void {
    const found = this.queued(listener, predicate).length;
    if (found === 0) return;
    this.#fail(
      `Expected ${nameOf(listener)} not to be queued, but it was queued ${times(found)}. ${describeQueued(this.#queued)}`,
      {
        actual: found,
        expected: 0,
      },
    );
  }

  /**
   * Runs the recorded queued listeners inline, in order, through the real job runner (encode,
   * decode, container, retries, `failed()`), then forgets them. Rejects with the first
   * `listener_failed` error after running them all.
   */
  async runQueued(): Promise<void> {
    const jobs = this.#queued.splice(0);
    const driver = new SyncDriver('fake', this.#parts.runner);
    let firstError: unknown;
    for (const { definition, event, eventName } of jobs) {
      const facts = {
        dispatchId: randomUUID(),
        dispatchedAt: new Date().toISOString(),
        eventName,
        payload: encodePayload(event, this.#parts.events),
      };
      const built = this.#parts.bridge.build(definition, event, facts);
      if (built === undefined) continue;
      try {
        await driver.push(built.job);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  /** Stops faking: later dispatches run their listeners again. Idempotent. */
  restore(): void {
    if (this.#restored) return;
    this.#restored = true;
    this.#parts.uninstall(this);
  }

  /** Whether this fake is still intercepting. */
  get active(): boolean {
    return !this.#restored;
  }

  #fail(message: string, details: { actual: unknown; expected: unknown }): never {
    throw new AssertionError({
      message,
      actual: details.actual,
      expected: details.expected,
      operator: 'herald.fake',
    });
  }
}

function nameOf(value: unknown): string {
  return typeof value === 'function' && value.name !== '' ? value.name : String(value);
}
