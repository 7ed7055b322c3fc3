import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import { type DispatchFacts, dispatchFacts } from '../queue/job/dispatch-facts.js';
import type { QueueBridge } from '../queue/job/queue-bridge.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { FakedDispatch, RecordedJob } from './dispatch-recorder.js';

/**
 * The record of a faked dispatch, with the job each queued listener would get: built and
 * encoded exactly as a real dispatch builds it (`shouldQueue`, `viaQueue`, `tags`... and payload
 * encoding run), so a payload a queue could not carry still fails the dispatch
 * (test/unit/testing/fake.test.ts). No listener runs and nothing is pushed.
 */
export function fakedDispatch(
  parts: { readonly events: EventRegistry; readonly bridge: QueueBridge },
  event: object,
  eventClass: AnyClass,
  eventName: string,
  plan: readonly ListenerDefinition[],
): FakedDispatch {
  const jobs: RecordedJob[] = [];
  const declined: ListenerDefinition[] = [];
  let facts: DispatchFacts | undefined;
  for (const definition of plan) {
    if (!definition.options.queued) continue;
    facts ??= dispatchFacts(event, eventName, parts.events.payloadClasses);
    const built = parts.bridge.build(definition, event, facts);
    if (built === undefined) declined.push(definition);
    else
      jobs.push({ definition, eventClass, eventName, event, job: built.job, connection: built.connection });
  }
  return { eventClass, eventName, event, jobs, declined };
}
