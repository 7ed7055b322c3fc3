import { dispatchFacts } from '../queue/job/dispatch-facts.js';
import { type CompiledPlan, runSyncSteps } from './compiled-plan.js';
import { dispatchQueuedPlan, type RunPlanParts, settleAll } from './run-plan.js';

/**
 * `dispatch()` of an event that names a stream when no listener carries its entry: the entry is
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
