import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import type { QueuedJob } from '../queue/job/queued-job.js';

/** Which events a fake takes over. */
export type FakeScope =
  | { readonly only: readonly AnyClass[] }
  | { readonly except: readonly AnyClass[] }
  | 'all';

/** One dispatch a fake recorded. */
export interface RecordedDispatch {
  readonly eventClass: AnyClass;
  readonly eventName: string;
  /** The dispatched instance itself (not a copy). */
  readonly event: object;
}

/** One queued listener that would have been pushed as a job. */
export interface RecordedJob {
  readonly definition: ListenerDefinition;
  readonly eventClass: AnyClass;
  readonly eventName: string;
  /** The dispatched instance itself; `runQueued()` hands the listener a decoded copy. */
  readonly event: object;
  /** The job exactly as dispatch would have pushed it (payload encoded at dispatch time). */
  readonly job: QueuedJob;
  /** The connection it would have gone to; undefined = the default connection. */
  readonly connection: string | undefined;
}

/** A faked dispatch as the dispatcher hands it over: plain data, no listener ran. */
export interface FakedDispatch extends RecordedDispatch {
  /** The jobs its queued listeners would have been pushed as. */
  readonly jobs: readonly RecordedJob[];
  /** Its queued listeners whose `shouldQueue(event)` returned false. */
  readonly declined: readonly ListenerDefinition[];
}

/**
 * Where the dispatcher puts the dispatches it fakes (herald/testing's fake is one). The
 * dispatcher alone decides what is faked; a recorder only collects, so it needs nothing else
 * from the app to do so.
 */
export interface DispatchRecorder {
  add(dispatch: FakedDispatch): void;
}

/** Whether `scope` fakes dispatches of `eventClass`. */
export function fakes(scope: FakeScope, eventClass: AnyClass): boolean {
  if (scope === 'all') return true;
  if ('only' in scope) return scope.only.includes(eventClass);
  return !scope.except.includes(eventClass);
}
