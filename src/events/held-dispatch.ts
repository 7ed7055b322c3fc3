import type { AnyClass } from '../metadata/class-types.js';
import { dispatchFacts } from '../queue/job/dispatch-facts.js';
import { activeTracing } from '../telemetry/otel-switch.js';
import type { TransactionScope } from '../transactions/transaction-scope.js';
import type { CompiledPlan } from './compiled-plan.js';
import { type FakeScope, fakes } from './dispatch-recorder.js';
import { writeOrHold } from './held-push.js';
import { type RunPlanParts, runPlan, settleAll } from './run-plan.js';
import { dispatchStreamed, untilStreamed } from './streamed-dispatch.js';

/**
 * `dispatch()` (or `until()` with `halt`) of a plan with `afterCommit` listeners inside a
 * transaction scope: the plan runs in order on the general path, each `afterCommit` listener
 * held in `scope` where it stands (a sync one is called after the commit, a queued one is encoded
 * now and pushed after the commit, or written now as an outbox row: held-push.ts) and counted as
 * returning `undefined`, as Laravel's `afterCommit` listeners are. The other listeners run now.
 * Resolves once all of that is done.
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
  return traced(plan, run);
}

/**
 * An `afterCommit` event dispatched inside `scope`: held whole and dispatched again after the
 * commit, outside any scope (`dispatchLater`), so a fake records it only then; with an outbox and
 * no sync listener, its jobs and appends are written now as rows instead ({@link writeHeldEvent}).
 */
export function holdEvent(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  scope: TransactionScope,
  fake: FakeScope | undefined,
  dispatchLater: () => Promise<void>,
): Promise<void> {
  if (writesHeldEvent(parts, event, plan, fake)) return writeHeldEvent(parts, event, plan, scope);
  scope.afterCommit(dispatchLater);
  return Promise.resolve();
}

/**
 * Whether an `afterCommit` event dispatched inside a transaction scope has its work written now
 * as outbox rows ({@link writeHeldEvent}) instead of being held whole: the app has an outbox, the
 * event has no sync listener, and no fake takes it (a fake records it at the commit). A sync
 * listener decides after the commit whether later listeners run (`false`, a throw) and whether
 * the stream append goes; rows written before it ran could not honour that, so such an event is
 * held whole, as without an outbox.
 */
function writesHeldEvent(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  fake: FakeScope | undefined,
): boolean {
  if (parts.bridge.outbox === undefined || plan.hasSync) return false;
  return fake === undefined || !fakes(fake, event.constructor as AnyClass);
}

/**
 * An `afterCommit` event whose listeners are all queued, inside a transaction scope of an app
 * with an outbox: every job and stream append is encoded now and written as a row of the
 * transaction when its connection is shared, held until the commit otherwise (writeOrHold). Same
 * outcome as dispatching it after the commit (no sync listener could have changed what is
 * pushed), but durable: a process that dies right after the COMMIT loses none of it. Resolves
 * once the rows are written.
 */
function writeHeldEvent(
  parts: RunPlanParts,
  event: object,
  plan: CompiledPlan,
  scope: TransactionScope,
): Promise<void> {
  const run = async (): Promise<void> => {
    const { bridge } = parts;
    const pending: Promise<void>[] = [];
    const add = (written: Promise<void> | undefined) => {
      if (written !== undefined) pending.push(written);
    };
    try {
      const facts = dispatchFacts(event, plan.eventName, parts.events.payloadClasses);
      for (const definition of plan.listeners) {
        const prepared = bridge.prepare(definition, event, facts);
        if (prepared !== undefined) add(writeOrHold(bridge, scope, prepared));
      }
      for (const connection of plan.appendTo)
        add(writeOrHold(bridge, scope, bridge.prepareAppend(event, facts, connection)));
    } catch (error) {
      // Settle the writes already started so none rejects unobserved, then report the failure.
      await Promise.allSettled(pending);
      throw error;
    }
    await settleAll(pending);
  };
  return traced(plan, run);
}

function traced<T>(plan: CompiledPlan, run: () => Promise<T>): Promise<T> {
  const tracing = activeTracing();
  return tracing === undefined ? run() : tracing.dispatch(plan.eventName, run);
}
