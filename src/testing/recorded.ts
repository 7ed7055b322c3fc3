import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';

/** One dispatch a fake recorded. */
export interface RecordedDispatch {
  readonly eventClass: AnyClass;
  readonly eventName: string;
  readonly event: object;
}

/** One queued listener that would have been pushed as a job. */
export interface RecordedJob {
  readonly definition: ListenerDefinition;
  readonly eventName: string;
  readonly event: object;
}
