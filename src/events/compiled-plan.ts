import type { ListenerInstances } from '../container/listener-instances.js';
import { HeraldError } from '../errors.js';
import type { ListenerContext } from '../listeners/listener-context.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import { syncContextFor } from './sync-context.js';

type Handler = (event: object, ctx: ListenerContext) => unknown;

/** One sync listener, ready to call: the singleton instance is looked up once, then kept. */
interface SyncStep {
  readonly definition: ListenerDefinition;
  /** The bound handler of a singleton or closure listener, filled on first call. */
  handler: Handler | undefined;
}

/**
 * The listeners of one event as the dispatcher runs them, derived from the registry's plan and
 * valid for one registry version. Holding the array it started with is what keeps a dispatch
 * unchanged when listeners are added or removed while it runs.
 */
export interface CompiledPlan {
  readonly version: number;
  readonly eventName: string;
  readonly listeners: readonly ListenerDefinition[];
  readonly hasQueued: boolean;
  readonly ctx: ListenerContext;
  readonly steps: readonly SyncStep[];
}

/** Builds the compiled plan of an event. */
export function compilePlan(
  eventName: string,
  listeners: readonly ListenerDefinition[],
  version: number,
): CompiledPlan {
  return {
    version,
    eventName,
    listeners,
    hasQueued: listeners.some((definition) => definition.options.queued),
    ctx: syncContextFor(eventName),
    steps: listeners.map((definition) => ({ definition, handler: undefined })),
  };
}

/** Wraps a sync listener's error in the dispatch error contract. */
export function listenerFailed(
  definition: ListenerDefinition,
  eventName: string,
  error: unknown,
): HeraldError {
  // A listener the container could not build never ran: its container_failed says why and how
  // to fix it (test/unit/boot/container-failed.test.ts).
  if (HeraldError.is(error, 'container_failed')) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new HeraldError(
    'listener_failed',
    `Listener ${definition.name} failed while handling ${eventName}: ${reason}`,
    {
      cause: error,
    },
  );
}

function handlerOf(step: SyncStep, instances: ListenerInstances): Handler {
  if (step.handler !== undefined) return step.handler;
  const { definition } = step;
  if (definition.fn !== undefined) {
    step.handler = definition.fn as Handler;
    return step.handler;
  }
  const instance = instances.instanceOf(definition) as Record<string, Handler>;
  const method = instance[definition.method];
  if (typeof method !== 'function') {
    throw new TypeError(
      `${definition.name} has no ${definition.method}() method on the instance the container built.`,
    );
  }
  const handler: Handler = (event, ctx) => method.call(instance, event, ctx);
  // Transient listeners must get a fresh instance per call, so only singletons are kept.
  if (definition.options.scope === 'singleton') step.handler = handler;
  return handler;
}

/**
 * Runs an all-sync plan from step `start`. Listeners that return plain values run in one
 * synchronous loop; the first promise switches to an async continuation. This avoids a
 * microtask per listener, which is most of the cost of an awaited dispatch.
 */
export function runSyncSteps(
  plan: CompiledPlan,
  event: object,
  start: number,
  instances: ListenerInstances,
): Promise<void> {
  const { steps, ctx } = plan;
  for (let index = start; index < steps.length; index++) {
    const step = steps[index] as SyncStep;
    let returned: unknown;
    try {
      returned = handlerOf(step, instances)(event, ctx);
    } catch (error) {
      return Promise.reject(listenerFailed(step.definition, plan.eventName, error));
    }
    if (returned instanceof Promise) {
      return returned.then(
        (value) => (value === false ? undefined : runSyncSteps(plan, event, index + 1, instances)),
        (error: unknown) => {
          throw listenerFailed(step.definition, plan.eventName, error);
        },
      );
    }
    if (returned === false) break;
  }
  return Promise.resolve();
}
