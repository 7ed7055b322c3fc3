import { invokeListener, isThenable, listenerFailed } from '../container/invoke-listener.js';
import type { ListenerInstances } from '../container/listener-instances.js';
import type { ListenerContext } from '../listeners/listener-context.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import { type DispatchFacts, dispatchFacts } from '../queue/job/dispatch-facts.js';
import type { QueueBridge } from '../queue/job/queue-bridge.js';
import type { EventRegistry } from '../registry/event-registry.js';
import { activeTracing } from '../telemetry/otel-switch.js';
import type { TransactionScope } from '../transactions/transaction-scope.js';
import { writeOrHold } from './held-push.js';
import { syncContextFor } from './sync-context.js';
import { pushJob } from './traced-push.js';

/** What the general dispatch path needs. */
export interface RunPlanParts {
  readonly events: EventRegistry;
  readonly instances: ListenerInstances;
  readonly bridge: QueueBridge;
}

/**
 * `dispatch()` of a plan with queued listeners (`given`: the dispatch's facts when they were
 * already made, so every job and the stream entry share one dispatch id). A plan of one queued listener (the common
 * shape) needs none of the general path's machinery: its push is the dispatch's promise, which
 * saves the async frames and promises that were a visible part of a queued dispatch's cost.
 */
export function dispatchQueuedPlan(
  parts: RunPlanParts,
  event: object,
  eventName: string,
  plan: readonly ListenerDefinition[],
  given?: DispatchFacts,
  hold?: TransactionScope,
): Promise<void> {
  const [only] = plan;
  if (hold === undefined && plan.length === 1 && only?.options.queued) {
    const prepared = parts.bridge.prepare(
      only,
      event,
      given ?? dispatchFacts(event, eventName, parts.events.payloadClasses),
    );
    return prepared === undefined ? Promise.resolve() : pushJob(parts.bridge, prepared.driver, prepared.job);
  }
  return runPlan(parts, event, eventName, plan, false, given, hold) as Promise<void>;
}

/**
 * The general dispatch path (plans with queued listeners, and `until`): sync listeners awaited
 * in order, queued ones pushed as jobs in their place, all pushes awaited at the end. With
 * `halt`, stops at the first non-undefined result and returns it. With `hold` (a transaction
 * scope), `afterCommit` listeners are held in it instead (held-dispatch.ts).
 */
export async function runPlan(
  parts: RunPlanParts,
  event: object,
  eventName: string,
  plan: readonly ListenerDefinition[],
  halt: boolean,
  given?: DispatchFacts,
  hold?: TransactionScope,
): Promise<unknown> {
  const facts =
    given ??
    (plan.some((definition) => definition.options.queued)
      ? dispatchFacts(event, eventName, parts.events.payloadClasses)
      : undefined);
  const ctx = syncContextFor(eventName);
  const pending: Promise<void>[] = [];
  let result: unknown;
  try {
    for (const definition of plan) {
      if (hold !== undefined && definition.options.afterCommit) {
        const written = holdListener(parts, hold, definition, event, eventName, facts);
        if (written !== undefined) pending.push(written);
        continue;
      }
      if (definition.options.queued) {
        const prepared = parts.bridge.prepare(definition, event, facts as DispatchFacts);
        if (prepared === undefined) continue;
        const pushed = pushJob(parts.bridge, prepared.driver, prepared.job);
        if (prepared.driver.inline) await pushed;
        else pending.push(pushed);
        continue;
      }
      const outcome = await callSync(definition, event, eventName, ctx, parts.instances);
      if (outcome === false) {
        if (halt) result = false;
        break;
      }
      if (halt && outcome !== undefined) {
        result = outcome;
        break;
      }
    }
  } catch (error) {
    // Settle the pushes already started so none rejects unobserved, then report the failure.
    if (pending.length > 0) await Promise.allSettled(pending);
    throw error;
  }
  if (pending.length === 1) await pending[0];
  else if (pending.length > 1) await settleAll(pending);
  return result;
}

/**
 * Holds one `afterCommit` listener until the commit. A queued one is encoded now, so a payload
 * that cannot be encoded fails the dispatch inside the transaction (which can still roll back)
 * rather than after the commit; only its push waits, or, with an outbox, is written now as a row
 * of the transaction (held-push.ts): the promise of that write, awaited with the other pushes.
 */
function holdListener(
  parts: RunPlanParts,
  hold: TransactionScope,
  definition: ListenerDefinition,
  event: object,
  eventName: string,
  facts: DispatchFacts | undefined,
): Promise<void> | undefined {
  if (definition.options.queued) {
    const prepared = parts.bridge.prepare(definition, event, facts as DispatchFacts);
    return prepared === undefined ? undefined : writeOrHold(parts.bridge, hold, prepared);
  }
  const ctx = syncContextFor(eventName);
  hold.afterCommit(async () => {
    await callSync(definition, event, eventName, ctx, parts.instances);
  });
  return undefined;
}

async function callSync(
  definition: ListenerDefinition,
  event: object,
  eventName: string,
  ctx: ListenerContext,
  instances: ListenerInstances,
): Promise<unknown> {
  try {
    const tracing = activeTracing();
    const returned =
      tracing === undefined
        ? invokeListener(definition, instances, event, ctx)
        : tracing.listener(eventName, definition.name, () =>
            invokeListener(definition, instances, event, ctx),
          );
    // Only await a thenable: awaiting a plain value costs a microtask per listener.
    return isThenable(returned) ? await returned : returned;
  } catch (error) {
    throw listenerFailed(definition, eventName, error);
  }
}

/** Awaits every push; rejects with the first failure, after all have settled. */
export async function settleAll(pending: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(pending);
  const failure = results.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
