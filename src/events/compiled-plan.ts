import { invokeListener, isThenable, listenerFailed } from '../container/invoke-listener.js';
import type { ListenerInstances } from '../container/listener-instances.js';
import type { ListenerContext } from '../listeners/listener-context.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { StreamPlan } from '../queue/job/queue-bridge.js';
import { syncContextFor } from './sync-context.js';

/**
 * The listeners of one event as the dispatcher runs them, derived from the registry's plan and
 * valid for one registry version. Holding the array it started with is what keeps a dispatch
 * unchanged when listeners are added or removed while it runs.
 */
export interface CompiledPlan {
  readonly version: number;
  readonly eventName: string;
  /** The listeners the dispatch runs or pushes jobs for. */
  readonly listeners: readonly ListenerDefinition[];
  /**
   * The registry's plan, what a fake records: beside `listeners`, the listeners of a `streams`
   * connection that read the dispatch's own append instead of getting a push.
   */
  readonly planned: readonly ListenerDefinition[];
  readonly hasQueued: boolean;
  /** Some listener of `listeners` is sync. */
  readonly hasSync: boolean;
  /** The connections the dispatch appends the event to itself (QueueBridge.streamPlan). */
  readonly appendTo: readonly string[];
  /** `appendTo` is not empty. */
  readonly appends: boolean;
  /** `@Event({ afterCommit: true })`: inside a transaction the whole dispatch waits for the commit. */
  readonly holdsEvent: boolean;
  /** Some listener of `listeners` has `afterCommit`: inside a transaction it waits for the commit. */
  readonly holdsListeners: boolean;
  /**
   * `holdsEvent || holdsListeners`: the one flag a dispatch reads, so plans without
   * `afterCommit` never ask for the current transaction.
   */
  readonly holds: boolean;
  readonly ctx: ListenerContext;
}

/** Builds the compiled plan of an event. */
export function compilePlan(
  eventName: string,
  listeners: readonly ListenerDefinition[],
  version: number,
  stream: StreamPlan = { appendTo: [], listeners },
  afterCommit = false,
): CompiledPlan {
  const { appendTo } = stream;
  const holdsListeners = stream.listeners.some((definition) => definition.options.afterCommit);
  return {
    version,
    eventName,
    listeners: stream.listeners,
    planned: listeners,
    hasQueued: stream.listeners.some((definition) => definition.options.queued),
    hasSync: stream.listeners.some((definition) => !definition.options.queued),
    appendTo,
    appends: appendTo.length > 0,
    holdsEvent: afterCommit,
    holdsListeners,
    holds: afterCommit || holdsListeners,
    ctx: syncContextFor(eventName),
  };
}

/**
 * Runs an all-sync plan from listener `start`. Listeners that return plain values run in one
 * synchronous loop; the first thenable switches to an async continuation. This avoids a
 * microtask per listener, which is most of the cost of an awaited dispatch.
 */
export function runSyncSteps(
  plan: CompiledPlan,
  event: object,
  start: number,
  instances: ListenerInstances,
): Promise<void> {
  const { listeners, ctx } = plan;
  for (let index = start; index < listeners.length; index++) {
    const definition = listeners[index] as ListenerDefinition;
    let returned: unknown;
    try {
      returned = invokeListener(definition, instances, event, ctx);
    } catch (error) {
      return Promise.reject(listenerFailed(definition, plan.eventName, error));
    }
    if (isThenable(returned)) {
      return Promise.resolve(returned).then(
        (value) => (value === false ? undefined : runSyncSteps(plan, event, index + 1, instances)),
        (error: unknown) => {
          throw listenerFailed(definition, plan.eventName, error);
        },
      );
    }
    if (returned === false) break;
  }
  return Promise.resolve();
}
