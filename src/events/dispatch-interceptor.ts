import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';

/**
 * Sees every dispatch before any listener runs and may take it over (the testing fake does,
 * recording the event instead of running listeners).
 */
export interface DispatchInterceptor {
  /** Returns true when the dispatch was handled here and no listener must run. */
  intercept(
    event: object,
    eventClass: AnyClass,
    eventName: string,
    plan: readonly ListenerDefinition[],
  ): boolean;
}
