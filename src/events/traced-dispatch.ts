import type { HeraldTracing } from '../telemetry/herald-tracing.js';
import type { CompiledPlan } from './compiled-plan.js';
import { type RunPlanParts, runPlan } from './run-plan.js';
import { dispatchStreamed, untilStreamed } from './streamed-dispatch.js';

/**
 * `dispatch()` with tracing on: the whole dispatch inside a `dispatch <event>` span. Sync
 * listeners take the general path (runPlan), which wraps each in its own span; the untraced
 * dispatch keeps its faster all-sync loop (compiled-plan.ts) free of any tracing check.
 */
export function dispatchTraced(
  tracing: HeraldTracing,
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
): Promise<void> {
  if (!plan.appends && plan.listeners.length === 0) return Promise.resolve();
  return tracing.dispatch(plan.eventName, () =>
    plan.appends
      ? dispatchStreamed(parts, event, plan)
      : (runPlan(parts, event, plan.eventName, plan.listeners, false) as Promise<void>),
  );
}

/** `until()` with tracing on: as {@link dispatchTraced}, resolving with the first result. */
export function untilTraced(
  tracing: HeraldTracing,
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
): Promise<unknown> {
  if (!plan.appends && plan.listeners.length === 0) return Promise.resolve(undefined);
  return tracing.dispatch(plan.eventName, () =>
    plan.appends
      ? untilStreamed(parts, event, plan)
      : runPlan(parts, event, plan.eventName, plan.listeners, true),
  );
}
