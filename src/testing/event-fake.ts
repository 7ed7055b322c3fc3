import { AssertionError } from 'node:assert';
import type { DispatchRecorder, FakedDispatch } from '../events/dispatch-recorder.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import {
  describeDispatched,
  describeQueued,
  isListener,
  listenerInfoLabel,
  nameOf,
  notListeningMessage,
  notQueuedReason,
  plural,
  times,
} from './describe-recorded.js';
import type { FakeHost } from './fake-host.js';
import type { ListenedEvent, ListenerClass, ListeningTarget } from './fake-types.js';
import { eventsOf, type RecordedDispatch, type RecordedJob } from './recorded.js';
import { appendOf, notStreamedMessage, type RecordedAppend } from './recorded-streams.js';
import { runRecordedJobs } from './run-recorded-jobs.js';

// Set by EventFake's static block (the one place that may call its private constructor).
// Declared before the class: the static block runs when the class is defined.
let construct: (host: FakeHost) => EventFake;

/**
 * Starts a fake on an app: from now on the app hands its faked dispatches to it. `herald.fake()`
 * calls it; herald/testing does not export it, so a fake is only ever made by its app.
 */
export function startEventFake(host: FakeHost): EventFake {
  return construct(host);
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
export class EventFake {
  readonly #host: FakeHost;
  // What the dispatcher sees of the fake: a collector that only appends what it is handed.
  readonly #recorder: DispatchRecorder = { add: (dispatch) => this.#add(dispatch) };
  readonly #dispatched: RecordedDispatch[] = [];
  readonly #queued: RecordedJob[] = [];
  readonly #streamed: RecordedAppend[] = [];
  /** Queued listeners whose `shouldQueue(event)` returned false, for failure messages. */
  readonly #declined: ListenerDefinition[] = [];
  #restored = false;

  static {
    construct = (host) => new EventFake(host);
  }

  private constructor(host: FakeHost) {
    this.#host = host;
    host.record(this.#recorder);
  }

  #add({ eventClass, eventName, event, jobs, declined }: FakedDispatch): void {
    const dispatched = { eventClass, eventName, event };
    this.#dispatched.push(dispatched);
    const append = appendOf(dispatched);
    if (append !== undefined) this.#streamed.push(append);
    this.#queued.push(...jobs);
    this.#declined.push(...declined);
  }

  /** The recorded events of a class (the dispatched instances), optionally filtered. */
  dispatched<T extends AnyClass>(
    event: T,
    predicate?: (event: InstanceType<T>) => boolean,
  ): InstanceType<T>[] {
    return eventsOf(this.#dispatched, event, predicate);
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
      this.#assertTimes(event, predicateOrTimes, this.assertDispatched);
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
    this.#fail(
      `${what} ${describeDispatched(this.#dispatched)}`,
      { actual: all, expected: '>= 1' },
      this.assertDispatched,
    );
  }

  /** Asserts the event was dispatched exactly `count` times. */
  assertDispatchedTimes(event: AnyClass, count: number): void {
    this.#assertTimes(event, count, this.assertDispatchedTimes);
  }

  #assertTimes(event: AnyClass, count: number, assertion: Assertion): void {
    const actual = this.dispatched(event).length;
    if (actual === count) return;
    this.#fail(
      `Expected ${nameOf(event)} to be dispatched ${times(count)}, but it was dispatched ${times(actual)}. ${describeDispatched(this.#dispatched)}`,
      { actual, expected: count },
      assertion,
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
    this.#fail(
      `${what} ${describeDispatched(this.#dispatched)}`,
      { actual: found, expected: 0 },
      this.assertNotDispatched,
    );
  }

  /** Asserts no faked event was dispatched at all. */
  assertNothingDispatched(): void {
    const count = this.#dispatched.length;
    if (count === 0) return;
    this.#fail(
      `Expected nothing to be dispatched, but ${plural(count, 'event')} ${count === 1 ? 'was' : 'were'}. ${describeDispatched(this.#dispatched)}`,
      { actual: count, expected: 0 },
      this.assertNothingDispatched,
    );
  }

  /**
   * Asserts a listener listens to the event, however it was registered: discovered or decorated
   * (`@Listener`), a subscriber class (`@Subscriber` + `@On`), or `listen()` with a class or a
   * closure, including wildcard patterns that match the event's wire name. The event may also be
   * given as a wire name. Reads the app's `getListeners()`, so it needs no fake to be active.
   */
  assertListening(event: AnyClass | string, listener: ListeningTarget): void {
    const listeners = this.#host.getListeners(event);
    if (listeners.some((info) => info.listener === listener)) return;
    const listening = listeners.map(listenerInfoLabel);
    const message = notListeningMessage(event, listener, listening);
    this.#fail(message, { actual: listening, expected: nameOf(listener) }, this.assertListening);
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
    this.#fail(
      `${what} ${describeQueued(this.#queued)}`,
      { actual: all, expected: '>= 1' },
      this.assertQueued,
    );
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
    this.#fail(
      `${what} ${describeQueued(this.#queued)}`,
      { actual: found, expected: 0 },
      this.assertNotQueued,
    );
  }

  #notQueuedReason(listener: ListenerClass | string): string {
    return notQueuedReason(listener, this.#host.listeners(), this.#declined);
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
    await runRecordedJobs(this.#queued.splice(0), this.#host.runner);
  }

  /**
   * The events of a class a dispatch would have appended to their stream
   * (`@Event(name, { stream })`), whether or not a local listener reads them.
   */
  streamed<T extends AnyClass>(event: T, predicate?: (event: InstanceType<T>) => boolean): InstanceType<T>[] {
    return eventsOf(this.#streamed, event, predicate);
  }

  /**
   * Asserts the event was appended to its stream (at least once, or once matching `predicate`):
   * for events another service reads, with no local listener to `assertQueued`.
   */
  assertStreamed<T extends AnyClass>(event: T, predicate?: (event: InstanceType<T>) => boolean): void {
    const found = this.streamed(event, predicate).length;
    if (found > 0) return;
    const all = this.streamed(event).length;
    const message = notStreamedMessage(event, all, predicate !== undefined, this.#streamed);
    this.#fail(message, { actual: all, expected: '>= 1' }, this.assertStreamed);
  }

  /** Stops faking: later dispatches run their listeners again. Idempotent. */
  restore(): void {
    if (this.#restored) return;
    this.#restored = true;
    this.#host.stopRecording(this.#recorder);
  }

  /** Whether this fake has not been restored (a newer fake may have replaced it, though). */
  get active(): boolean {
    return !this.#restored;
  }

  /**
   * Throws the failure. `assertion` is the public method the test called: the stack starts at
   * the test's line, not inside the fake (test/unit/testing/failure-stack.test.ts).
   */
  #fail(message: string, details: { actual: unknown; expected: unknown }, assertion: Assertion): never {
    throw new AssertionError({ message, ...details, operator: 'herald.fake', stackStartFn: assertion });
  }
}

type Predicate = ((event: object) => boolean) | undefined;

/** One of the public assertion methods, as `stackStartFn` takes it. */
type Assertion = (...args: never[]) => unknown;
