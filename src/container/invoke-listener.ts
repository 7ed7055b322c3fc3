import { HeraldError } from '../errors.js';
import type { ListenerContext } from '../listeners/listener-context.js';
import { describeListener, type ListenerDefinition } from '../listeners/listener-definition.js';
import type { ListenerInstances } from './listener-instances.js';

/**
 * Calls a listener once: its closure, or its method on the instance the container builds
 * (through {@link ListenerInstances}, so scopes and `container_failed` hold). Returns what the
 * listener returned, unchanged: a plain value for a sync listener (no promise is made for it),
 * or its promise; test the result with {@link isThenable}. Sync dispatch, the general plan and
 * the job runner all call listeners through here, so a listener that cannot be called fails the
 * same way on every path (test/unit/boot/container-failed.test.ts).
 *
 * Throws `container_failed` when the instance has no such method, and whatever the container or
 * the listener throws.
 *
 * @example
 * const returned = invokeListener(definition, instances, event, ctx);
 * if (isThenable(returned)) await returned;
 */
export function invokeListener(
  definition: ListenerDefinition,
  instances: ListenerInstances,
  event: object,
  ctx: ListenerContext,
): unknown {
  if (definition.fn !== undefined) return definition.fn(event, ctx);
  const instance = instances.instanceOf(definition);
  const method = (instance as Record<string, unknown>)[definition.method];
  if (typeof method !== 'function') throw notCallable(definition, instance);
  return method.call(instance, event, ctx);
}

/**
 * Whether a listener's result must be awaited: any object with a `then` method, so promises
 * from other realms and libraries are awaited too. The one test every caller uses.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The dispatch error for a sync listener that threw or rejected: kind `listener_failed`, naming
 * the listener and the event, the original error as `cause`. A `container_failed` passes
 * through: that listener never ran, and its message already says why and how to fix it.
 */
export function listenerFailed(
  definition: ListenerDefinition,
  eventName: string,
  error: unknown,
): HeraldError {
  if (HeraldError.is(error, 'container_failed')) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new HeraldError(
    'listener_failed',
    `Listener ${definition.name} failed while handling ${eventName}: ${reason}`,
    { cause: error },
  );
}

/**
 * A listener the container built, but without the method to call: the user's binding replaced
 * the class with something else. `container_failed`, because the fix is in the container.
 */
function notCallable(definition: ListenerDefinition, instance: object): HeraldError {
  const className = definition.target?.name ?? definition.name;
  const built = instance.constructor?.name;
  const what = built === undefined || built === '' || built === 'Object' ? 'a value' : `a ${built}`;
  return new HeraldError(
    'container_failed',
    `herald cannot call ${describeListener(definition)}: the container returned ${what} with no ${definition.method}() method. Fix: bind ${className} to a class or value that has ${definition.method}(event), or remove your binding of ${className} so herald binds the class itself.`,
  );
}
