import { type DispatchFacts, dispatchFacts } from '../queue/job/dispatch-facts.js';
import { activeTracing } from '../telemetry/otel-switch.js';
import type { TransactionScope } from '../transactions/transaction-scope.js';
import { type CompiledPlan, runSyncSteps } from './compiled-plan.js';
import { dispatchQueuedPlan, type RunPlanParts, runPlan, settleAll } from './run-plan.js';
import { pushJob } from './traced-push.js';

/**
 * `dispatch()` of an event the dispatch appends itself (QueueBridge.streamPlan): one entry per
 * log connection, beside whatever the plan's listeners do. With sync listeners in the plan the
 * append waits for them: one that throws refuses the event (the dispatch rejects with
 * `listener_failed`), and a refused event must not reach other services. Without, the append
 * goes at once, pipelined with the jobs. Settles once everything did, rejecting with the first
 * failure (test/integration/streams/streams-unheard.test.ts). `hold`: see held-dispatch.ts.
 */
export function dispatchStreamed(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  hold?: TransactionScope,
): Promise<void> {
  let facts: DispatchFacts;
  let rest: Promise<void>;
  try {
    facts = dispatchFacts(event, plan.eventName, parts.events.payloadClasses);
    if (plan.listeners.length === 0) return appendEvent(parts, event, facts, plan);
    // Traced, sync listeners take the general path too: it gives each its span.
    rest =
      plan.hasQueued || hold !== undefined || activeTracing() !== undefined
        ? dispatchQueuedPlan(parts, event, plan.eventName, plan.listeners, facts, hold)
        : runSyncSteps(plan, event, 0, parts.instances);
  } catch (error) {
    return Promise.reject(error);
  }
  if (plan.hasSync) return rest.then(() => appendEvent(parts, event, facts, plan));
  return settleAll([appendEvent(parts, event, facts, plan), rest]);
}

/**
 * `until()` of an event the dispatch appends itself: the listeners run until one returns a
 * value, then (none having thrown) the event is appended as by `dispatch`; resolves with that
 * value once the append is acknowledged.
 */
export async function untilStreamed(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  hold?: TransactionScope,
): Promise<unknown> {
  const facts = dispatchFacts(event, plan.eventName, parts.events.payloadClasses);
  const result = await runPlan(parts, event, plan.eventName, plan.listeners, true, facts, hold);
  await appendEvent(parts, event, facts, plan);
  return result;
}

/** Appends the event once to each of the plan's log connections; never throws synchronously. */
function appendEvent(
  parts: RunPlanParts,
  event: object,
  facts: DispatchFacts,
  plan: CompiledPlan,
): Promise<void> {
  try {
    const [only] = plan.appendTo;
    if (plan.appendTo.length === 1 && only !== undefined) {
      const append = parts.bridge.prepareAppend(event, facts, only);
      return pushJob(parts.bridge, append.driver, append.job);
    }
    return settleAll(
      plan.appendTo.map((connection) => {
        const append = parts.bridge.prepareAppend(event, facts, connection);
        return pushJob(parts.bridge, append.driver, append.job);
      }),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}
