import { dispatchFacts } from '../queue/job/dispatch-facts.js';
import { type CompiledPlan, runSyncSteps } from './compiled-plan.js';
import { dispatchQueuedPlan, type RunPlanParts, runPlan, settleAll } from './run-plan.js';

/**
 * `dispatch()` of an event the dispatch appends itself (QueueBridge.streamPlan): the entry is
 * appended (one per dispatch) beside whatever the plan's listeners do, and the dispatch settles
 * once both did, rejecting with the first failure
 * (test/integration/streams/streams-unheard.test.ts).
 */
export function dispatchStreamed(parts: RunPlanParts, event: object, plan: CompiledPlan): Promise<void> {
  const facts = dispatchFacts(event, plan.eventName, parts.events.payloadClasses);
  const append = parts.bridge.prepareAppend(event, facts);
  const appended = append.driver.push(append.job);
  if (plan.listeners.length === 0) return appended;
  let rest: Promise<void>;
  try {
    rest = plan.hasQueued
      ? dispatchQueuedPlan(parts, event, plan.eventName, plan.listeners, facts)
      : runSyncSteps(plan, event, 0, parts.instances);
  } catch (error) {
    rest = Promise.reject(error);
  }
  return settleAll([appended, rest]);
}

/**
 * `until()` of an event the dispatch appends itself: appended once like a dispatch, while the
 * listeners run until one returns a value; resolves with that value once the append is
 * acknowledged too.
 */
export async function untilStreamed(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
): Promise<unknown> {
  const facts = dispatchFacts(event, plan.eventName, parts.events.payloadClasses);
  const append = parts.bridge.prepareAppend(event, facts);
  const appended = append.driver.push(append.job);
  let result: unknown;
  const rest = runPlan(parts, event, plan.eventName, plan.listeners, true, facts).then((value) => {
    result = value;
  });
  await settleAll([appended, rest]);
  return result;
}
