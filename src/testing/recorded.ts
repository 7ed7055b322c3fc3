import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import type { QueuedJob } from '../queue/job-options.js';

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
