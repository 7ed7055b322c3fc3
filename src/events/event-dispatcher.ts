import type { ListenerInstances } from '../container/listener-instances.js';
import { HeraldError } from '../errors.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { ListenerFunction, ListenerOptions } from '../listeners/listener-options.js';
import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf } from '../metadata/event-metadata.js';
import type { QueueBridge } from '../queue/job/queue-bridge.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { ListenerIntake } from '../registry/listener-intake.js';
import type { ListenerRegistry } from '../registry/listener-registry.js';
import { activeTracing } from '../telemetry/otel-switch.js';
import { currentTransaction } from '../transactions/transaction-scope.js';
import { type CompiledPlan, compilePlan, runSyncSteps } from './compiled-plan.js';
import { type DispatchRecorder, type FakeScope, fakes } from './dispatch-recorder.js';
import { eventClassOf } from './event-class-of.js';
import { fakedDispatch } from './faked-dispatch.js';
import { dispatchHolding, holdEvent } from './held-dispatch.js';
import type { ListenerInfo } from './listener-info.js';
import { dispatchQueuedPlan, runPlan } from './run-plan.js';
import { dispatchStreamed, untilStreamed } from './streamed-dispatch.js';
import { dispatchTraced, untilTraced } from './traced-dispatch.js';

export type { ListenerInfo } from './listener-info.js';

/** The parts the dispatcher works with; the app wires them. */
export interface DispatcherParts {
  readonly events: EventRegistry;
  readonly listeners: ListenerRegistry;
  readonly instances: ListenerInstances;
  readonly bridge: QueueBridge;
  readonly intake: ListenerIntake;
}

// Set by EventDispatcher's static block, the one place that can reach its private fields.
// Declared before the class: the static block runs when the class is defined.
let internals: DispatcherInternals;

/**
 * Dispatches events to their listeners: sync ones awaited in order, queued ones pushed as one job
 * each. Bound in the container, so any class can inject it.
 *
 * @example
 * constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
 * await this.events.dispatch(new OrderShipped('o-1', 42, new Date()));
 */
export class EventDispatcher {
  #parts: DispatcherParts | undefined;
  #closed = false;
  readonly #compiled = new Map<AnyClass, CompiledPlan>();
  #fake: { readonly scope: FakeScope; readonly recorder: DispatchRecorder } | undefined;

  // The app's hooks reach the private state through the functions below this class: they are
  // not methods, so they are no part of the class users inject (API.md lists its methods).
  static {
    internals = {
      attach: (dispatcher, parts) => {
        dispatcher.#parts = parts;
      },
      close: (dispatcher) => {
        dispatcher.#closed = true;
      },
      record: (dispatcher, scope, recorder) => {
        dispatcher.#fake = { scope, recorder };
      },
      stopRecording: (dispatcher, recorder) => {
        if (dispatcher.#fake?.recorder === recorder) dispatcher.#fake = undefined;
      },
    };
  }

  /**
   * Runs the event's listeners: resolves when every sync listener finished and every job was
   * acknowledged by its queue. Rejects with `listener_failed` when a sync listener throws (later
   * listeners do not run), `unknown_event` for a class that is not an `@Event`, `not_booted`
   * before boot, `not_serializable` when a queued listener's payload cannot be encoded.
   * Every call returns its own promise (never one shared with another dispatch), so an
   * unawaited failed dispatch is reported as an unhandled rejection like any other promise
   * (test/unit/dispatch/own-promise.test.ts).
   */
  dispatch(event: object): Promise<void> {
    try {
      const parts = this.#requireParts();
      const plan = this.#compiledPlanOf(event, parts);
      if (plan.holds) {
        const held = this.#held(event, plan, parts, false);
        if (held !== undefined) return held as Promise<void>;
      }
      if (this.#fake !== undefined && this.#recorded(event, plan.eventName, plan.planned, parts)) {
        return Promise.resolve();
      }
      const tracing = activeTracing();
      if (tracing !== undefined) return dispatchTraced(tracing, parts, event, plan);
      if (plan.appends) return dispatchStreamed(parts, event, plan);
      if (plan.listeners.length === 0) return Promise.resolve();
      // Plans with queued listeners take the general path: they encode and push jobs.
      if (plan.hasQueued) return dispatchQueuedPlan(parts, event, plan.eventName, plan.listeners);
      return runSyncSteps(plan, event, 0, parts.instances);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #compiledPlanOf(event: object, parts: DispatcherParts): CompiledPlan {
    const eventClass =
      typeof event === 'object' && event !== null ? (event.constructor as AnyClass) : undefined;
    const cached = eventClass === undefined ? undefined : this.#compiled.get(eventClass);
    if (cached !== undefined && cached.version === parts.listeners.version) return cached;
    const target = eventClassOf(event);
    const eventName = parts.events.registerEvent(target);
    const listeners = parts.listeners.planFor(target, eventName);
    const stream = parts.bridge.streamPlan(target, eventName, listeners);
    const afterCommit = eventMetadataOf(target)?.afterCommit === true;
    const plan = compilePlan(eventName, listeners, parts.listeners.version, stream, afterCommit);
    this.#compiled.set(target, plan);
    return plan;
  }

  /** Dispatches only when `condition` is true (a function is called first). */
  async dispatchIf(condition: boolean | (() => boolean), event: object): Promise<void> {
    if (typeof condition === 'function' ? condition() : condition) await this.dispatch(event);
  }

  /** Dispatches only when `condition` is false (a function is called first). */
  async dispatchUnless(condition: boolean | (() => boolean), event: object): Promise<void> {
    if (!(typeof condition === 'function' ? condition() : condition)) await this.dispatch(event);
  }

  /**
   * Runs listeners until one returns something other than `undefined` and returns that value
   * (Laravel's `Event::until`); listeners after it do not run. `undefined` when none did.
   */
  async until(event: object): Promise<unknown> {
    const parts = this.#requireParts();
    const plan = this.#compiledPlanOf(event, parts);
    if (plan.holds) {
      const held = this.#held(event, plan, parts, true);
      if (held !== undefined) return held;
    }
    if (this.#fake !== undefined && this.#recorded(event, plan.eventName, plan.planned, parts))
      return undefined;
    const tracing = activeTracing();
    if (tracing !== undefined) return untilTraced(tracing, parts, event, plan);
    if (plan.appends) return untilStreamed(parts, event, plan);
    if (plan.listeners.length === 0) return undefined;
    return runPlan(parts, event, plan.eventName, plan.listeners, true);
  }

  /**
   * A dispatch of an `afterCommit` plan inside a transaction scope (undefined outside one): an
   * `afterCommit` event is held whole (holdEvent), `afterCommit` listeners one by one
   * (held-dispatch.ts).
   */
  #held(
    event: object,
    plan: CompiledPlan,
    parts: DispatcherParts,
    halt: boolean,
  ): Promise<unknown> | undefined {
    const scope = currentTransaction();
    if (scope === undefined) return undefined;
    if (plan.holdsEvent)
      return holdEvent(parts, event, plan, scope, this.#fake?.scope, () => this.dispatch(event));
    if (this.#fake !== undefined && this.#recorded(event, plan.eventName, plan.planned, parts))
      return Promise.resolve(undefined);
    return dispatchHolding(parts, event, plan, scope, halt);
  }

  /** Hands a dispatch the active fake takes over to its recorder; false when it is not faked. */
  #recorded(
    event: object,
    eventName: string,
    plan: readonly ListenerDefinition[],
    parts: DispatcherParts,
  ): boolean {
    const eventClass = event.constructor as AnyClass;
    const fake = this.#fake;
    if (fake === undefined || !fakes(fake.scope, eventClass)) return false;
    fake.recorder.add(fakedDispatch(parts, event, eventClass, eventName, plan));
    return true;
  }

  #requireParts(): DispatcherParts {
    if (this.#closed) {
      throw new HeraldError(
        'not_booted',
        'This herald app is closed: create a new one with createHerald(config).',
      );
    }
    if (this.#parts === undefined) {
      throw new HeraldError(
        'not_booted',
        'herald is not booted: call `await createHerald(config)` before dispatching events.',
      );
    }
    return this.#parts;
  }

  /**
   * Registers a listener at runtime: a class (built by the container) or a closure. Returns a
   * function that removes it again.
   *
   * @example
   * const off = dispatcher.listen(OrderShipped, (event) => console.log(event.orderId));
   * off();
   */
  listen<T extends AnyClass>(
    target: T | readonly T[] | string,
    listener: AnyClass | ListenerFunction<InstanceType<T>>,
    options?: ListenerOptions<InstanceType<T>>,
  ): () => void {
    const parts = this.#requireParts();
    const added = parts.intake.listen(target, listener as AnyClass | ListenerFunction<object>, options);
    // Match by sequence, not object identity: forget() rewrites a definition into a new object
    // (same sequence) when it trims one of several events, and the rest must still go here.
    const sequences = new Set(added.map((definition) => definition.sequence));
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      parts.listeners.remove((definition) => {
        if (!sequences.has(definition.sequence)) return false;
        parts.instances.evict(definition);
        return true;
      });
      for (const definition of added) parts.instances.evict(definition);
    };
  }

  /** Whether anything listens to an event class, or to a wire name. */
  hasListeners(target: AnyClass | string): boolean {
    return this.getListeners(target).length > 0;
  }

  /** The listeners of an event class or wire name, in the order they run. */
  getListeners(target: AnyClass | string): ListenerInfo[] {
    const parts = this.#requireParts();
    return this.#planOf(target, parts).map((definition) => ({
      name: definition.name,
      listener: (definition.target ?? definition.fn) as AnyClass | ListenerFunction<object>,
      method: definition.method,
      queued: definition.options.queued,
      connection: definition.options.connection,
      queue: definition.options.queue,
      order: definition.options.order,
    }));
  }

  /**
   * Removes the listeners of an event class or wire name (a pattern string removes the listeners
   * registered with exactly that pattern). A listener of several events keeps the others.
   */
  forget(target: AnyClass | string): void {
    const parts = this.#requireParts();
    parts.intake.forget(target);
  }

  #planOf(target: AnyClass | string, parts: DispatcherParts): readonly ListenerDefinition[] {
    // Look-ups never register anything: only discovery, config and dispatch do.
    if (typeof target === 'string')
      return parts.listeners.planForName(target, parts.events.registeredEvent(target));
    return parts.listeners.planForName(parts.events.wireNameOf(target), target);
  }
}

interface DispatcherInternals {
  attach(dispatcher: EventDispatcher, parts: DispatcherParts): void;
  close(dispatcher: EventDispatcher): void;
  record(dispatcher: EventDispatcher, scope: FakeScope, recorder: DispatchRecorder): void;
  stopRecording(dispatcher: EventDispatcher, recorder: DispatchRecorder): void;
}

/** Connects a dispatcher to a booted app (`createHerald` calls it). Not exported by herald. */
export function attachDispatcher(dispatcher: EventDispatcher, parts: DispatcherParts): void {
  internals.attach(dispatcher, parts);
}

/** Marks a dispatcher's app closed: later dispatches reject with `not_booted`. */
export function closeDispatcher(dispatcher: EventDispatcher): void {
  internals.close(dispatcher);
}

/**
 * From now on, dispatches of the events in `scope` run no listener and push no job: each is
 * handed to `recorder` instead (`herald.fake()`). One recorder at a time; a new one replaces
 * the old.
 */
export function recordDispatches(
  dispatcher: EventDispatcher,
  scope: FakeScope,
  recorder: DispatchRecorder,
): void {
  internals.record(dispatcher, scope, recorder);
}

/** Stops recording into `recorder`, unless a newer recorder replaced it (it is left alone). */
export function stopRecording(dispatcher: EventDispatcher, recorder: DispatchRecorder): void {
  internals.stopRecording(dispatcher, recorder);
}
