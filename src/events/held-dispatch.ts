import { activeTracing } from '../telemetry/otel-switch.js';
import type { TransactionScope } from '../transactions/transaction-scope.js';
import type { CompiledPlan } from './compiled-plan.js';
import { type RunPlanParts, runPlan } from './run-plan.js';
import { dispatchStreamed, untilStreamed } from './streamed-dispatch.js';

/**
 * `dispatch()` (or `until()` with `halt`) of a plan with `afterCommit` listeners inside a
 * transaction scope: the plan runs in order on the general path, each `afterCommit` listener
 * held in `scope` where it stands (a sync one is called after the commit, a queued one is encoded
 * now and pushed after the commit) and counted as returning `undefined`, as Laravel's
 * `afterCommit` listeners are. The other listeners run now. Resolves once all of that is done.
 */
export function dispatchHolding(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  scope: TransactionScope,
  halt: boolean,
): Promise<unknown> {
  const run = (): Promise<unknown> => {
    if (!plan.appends) return runPlan(parts, event, plan.eventName, plan.listeners, halt, undefined, scope);
    return halt ? untilStreamed(parts, event, plan, scope) : dispatchStreamed(parts, event, plan, scope);
  };
  const tracing = activeTracing();
  return tracing === undefined ? run() : tracing.dispatch(plan.eventName, run);
}
